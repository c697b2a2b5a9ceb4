// Where the main-thread time of a burst goes (`npm run bench -- --profile`): V8's sampling
// profiler over the same window as the main-thread figure, its samples summed by function and
// by script. The profiler slows the page a little: profiled rounds say so in the notes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  /** Sampled ms, idle excluded. */
  totalMs: number;
  /** Self time by function (name, script file, line), largest first. */
  functions: { name: string; ms: number }[];
  /** Self time by script file ("(native)" for built-ins such as JSON.stringify, "(gc)"…). */
  scripts: { script: string; ms: number }[];
  /** Where the .cpuprofile was written (open it in Chrome DevTools' Performance panel). */
  file: string;
}

const scriptOf = (frame: CallFrame): string => {
  if (frame.functionName === '(garbage collector)') return '(gc)';
  if (frame.functionName === '(program)') return '(program)';
  if (!frame.url) return '(native)';
  return frame.url.split('?')[0]!.split('/').pop() || frame.url;
};

/** Self time per function and per script from a CPU profile. */
export const summariseProfile = (profile: CpuProfile, file: string, top = 25): ProfileSummary => {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  let totalUs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's delta is the time since the previous one: it belongs to the previous sample.
    const us = deltas[i + 1] ?? 0;
    const frame = frames.get(samples[i]!);
    if (!frame || frame.functionName === '(idle)') continue;
    const script = scriptOf(frame);
    const name = `${frame.functionName || '(anonymous)'} ${script}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byScript.set(script, (byScript.get(script) ?? 0) + us);
    totalUs += us;
  }
  const sorted = <K extends string>(map: Map<string, number>, key: K) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ [key]: k, ms: us / 1000 }) as Record<K, string> & { ms: number });
  return { totalMs: totalUs / 1000, functions: sorted(byFunction, 'name').slice(0, top), scripts: sorted(byScript, 'script'), file };
};

export const startProfile = async (context: BrowserContext, page: Page, dir: string, label: string) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); // µs
  await cdp.send('Profiler.start');
  return async (): Promise<ProfileSummary> => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await cdp.detach().catch(() => {});
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${label}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return summariseProfile(profile, file);
  };
};
