// The bench's command line: `npm run bench -- --only=shoptrail,plausible --rounds=1 --burst=2000
// --docs --profile --baseline=/tmp/dist-main`.
import { BURST } from './measure';

export interface BenchArgs {
  /** SDK names (and "ingest") to measure; undefined for all. */
  only?: string[];
  /** Interleaved rounds of every SDK (3 by default: the median and range need several). */
  rounds: number;
  /** Events per burst and calls per warm track() run (10,000 by default; less for quick checks). */
  burst: number;
  /** Rewrite docs/benchmarks.md's generated block from this run. */
  docs: boolean;
  /** A second Shoptrail build to measure in the same rounds as "shoptrail-baseline" (a folder with its shoptrail*.js). */
  baseline?: string;
  /** Profile every burst (test/bench/results/profiles/): where the main-thread time goes. */
  profile: boolean;
}

const value = (argv: string[], name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const positive = (text: string | undefined, fallback: number, max: number, name: string): number => {
  if (text == null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return n;
};

export const parseArgs = (argv: string[]): BenchArgs => ({
  only: value(argv, 'only')?.split(','),
  rounds: positive(value(argv, 'rounds'), 3, 20, 'rounds'),
  burst: positive(value(argv, 'burst'), BURST, BURST, 'burst'),
  docs: argv.includes('--docs'),
  profile: argv.includes('--profile'),
  baseline: value(argv, 'baseline'),
});
