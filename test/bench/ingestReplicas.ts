// PostgreSQL side of `npm run bench:ingest`: N replicas of the collector bin on one database of a
// throwaway cluster (test/support/postgres.ts), and the CPU time they and the server spend.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorConfig } from '../cluster/support/load';
import { type Replica, startReplica, stopReplica } from '../cluster/support/replicas';
import { type Cluster, freePort } from '../support/postgres';

export const BENCH = { entity: 'bench', writeKey: 'pk_bench', adminKey: 'sk_bench' };

export interface ReplicaSet {
  urls: string[];
  /** CPU seconds used so far by the replicas and by the PostgreSQL server's processes. */
  cpu(): { replicas: number; postgres: number };
  stop(): Promise<void>;
}

const TICK = 100; // USER_HZ: clock ticks per second in /proc on Linux

/** utime + stime of one process in seconds, and its parent's pid; undefined once it is gone. */
const stat = (pid: number): { cpu: number; ppid: number } | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICK };
  } catch {
    return undefined;
  }
};

/** The postmaster and its children (backends, writers): their CPU seconds, summed. */
const postgresCpu = (dataDir: string): number => {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = stat(postmaster)?.cpu ?? 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid === postmaster) total += s.cpu;
  }
  return total;
};

/** A fresh database `db` in `cluster` and `count` replicas writing to it. */
export const startReplicaSet = async (cluster: Cluster, db: string, count: number, dir: string): Promise<ReplicaSet> => {
  const store = await cluster.createDatabase(db);
  const configPath = join(dir, `collector-${db}.json`);
  writeFileSync(configPath, JSON.stringify(collectorConfig([{ ...BENCH, store }])));
  const replicas: Replica[] = [];
  // One at a time: the first runs the migrations.
  for (let i = 0; i < count; i++) replicas.push(await startReplica(configPath, await freePort()));
  return {
    urls: replicas.map((r) => r.url),
    cpu: () => ({
      replicas: replicas.reduce((sum, r) => sum + (stat(r.child.pid!)?.cpu ?? 0), 0),
      postgres: postgresCpu(cluster.dataDir),
    }),
    stop: async () => {
      await Promise.all(replicas.map((r) => stopReplica(r)));
    },
  };
};
