import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
          // Script-tag tests add a real <script src=".../shoptrail.js"> for the tracker to read its
          // data-* from (the code itself is imported). happy-dom does not load script files and
          // would print a NotSupportedError stack per tag: treat the skipped load as done instead.
          environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Plain Node, no DOM: the built npm entry as a server render (Next.js, Remix) imports it.
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'collector',
          include: ['test/collector/**/*.test.ts'],
          environment: 'node',
        },
      },
      // The same contract tests on PostgreSQL, in a cluster the setup starts and stops.
      {
        extends: true,
        test: {
          name: 'collector-postgres',
          include: ['test/collector/**/*.test.ts'],
          // Not about storage: the harness itself, config parsing, the bin and the demo's start.
          exclude: ['test/collector/{postgres-harness,config,cli,demo-main,server}.test.ts'],
          environment: 'node',
          env: { SHOPTRAIL_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/collector/support/postgres-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Replicas of the collector bin over PostgreSQL clusters the tests start (initdb, pg_ctl).
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Several processes and databases per file: one file at a time on two cores.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time: CI machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
