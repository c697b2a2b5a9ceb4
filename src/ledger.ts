// The ledger: what every activity (billable event) of this browser became — pending, accepted,
// rejected, dropped — per billing cycle, by type, day and reason. One IndexedDB record per
// cycle (a database of its own), written at most once per task, by merging this task's
// changes into the stored record inside one transaction, so tabs never overwrite each other.
// Owns the account's figures as the collector last reported them (`u` of the cycle's record);
// the guards keep a copy in localStorage, a cache they can read synchronously.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { checkConfig } from './config';
import { accountReport, cycleAt, dayKey, type Forecast, forecast } from './cycle';
import type { Envelope } from './envelope';
import { listed } from './lazyEvents';
import type { AccountUsage } from './protocol';
import type { Plugin } from './plugin';
import { keyTime, read } from './queue';
import type { Activities, LedgerReport, TrackerEvents, UsageReport, UsageWarning } from './types';

type Kind = Exclude<keyof Activities, 'pending'> | 'observed';
/** One change: kind, event id, type, local day, reason. */
export type Op = [Kind, string, string, string, string?];

export interface Book {
  /** Counts by "kind type day reason". */
  c: Record<string, number>;
  /**
   * Ids the collector settled lately, so a repeated acknowledgement counts once: each as a
   * fixed-width digest (SETTLED_WIDTH characters), all in one string. (An array of UUIDs, as
   * books before kept them, cloned 80 KB on every write, which Chromium then stores as a Blob;
   * this is 16 KB.)
   */
  s: string | string[];
  /** The account as the collector last reported it. */
  u?: AccountUsage;
  /** Sources of `usage-warning` already emitted this cycle. */
  w: Record<string, 1>;
}

/** Changes wait this long to be written together. */
const WRITE_DELAY_MS = 1000;
/** Settled ids remembered: far more than can be in flight at once. */
const SEEN = 2000;
const SETTLED_WIDTH = 8;

/** An id's digest: 41 bits of two FNV-1a hashes, in 8 characters; two ids among thousands all but never share one. */
const digest = (id: string): string => {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < id.length; i++) {
    a = Math.imul(a ^ id.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ id.charCodeAt(i), 0x01000193);
  }
  return ((a >>> 0) * 512 + (b >>> 23)).toString(36).padStart(SETTLED_WIDTH, '0');
};

/** The last settled list read or written, split: a tab that wrote the book last reads it back unchanged. */
let cached: [string, string[]] = ['', []];

/** The settled digests of a book, whichever form it was stored in. */
const settled = (s: Book['s']): string[] => {
  if (Array.isArray(s)) return s.map(digest);
  if (cached[0] === s) return cached[1].slice();
  const all: string[] = [];
  for (let i = 0; i < s.length; i += SETTLED_WIDTH) all.push(s.slice(i, i + SETTLED_WIDTH));
  return all;
};

/** A new cycle's book; settled ids carry over from the one before. */
export const fresh = (prev?: Book): Book => ({ c: {}, s: prev ? prev.s : '', w: {} });

/** Apply changes to a book (pure but for mutating `b`). */
export const apply = (b: Book, ops: Op[]): Book => {
  let known = settled(b.s);
  const seen = new Set(known); // a burst acknowledges thousands: no linear search per id
  // Counted by runs of the same kind, type, day and reason (a batch is one run): a key is a new
  // string, and looking one up per op in b.c cost more than all the rest of a write.
  let run: Op | undefined;
  let n = 0;
  const count = () => {
    if (!n) return;
    const key = `${run![0]} ${run![2]} ${run![3]} ${run![4] ?? ''}`;
    b.c[key] = (b.c[key] || 0) + n;
    n = 0;
  };
  for (const op of ops) {
    const [kind, id] = op;
    if (id && (kind == 'accepted' || kind == 'rejected')) {
      const d = digest(id);
      if (seen.has(d)) continue;
      seen.add(d);
      known.push(d);
    }
    if (!run || kind != run[0] || op[2] != run[2] || op[3] != run[3] || (op[4] ?? '') != (run[4] ?? '')) {
      count();
      run = op;
    }
    n++;
  }
  count();
  if (known.length > SEEN) known = known.slice(-SEEN);
  cached = [(b.s = known.join('')), known];
  return b;
};

/**
 * The figures of a book, summed by type, day and reason. Pending activities are not kept in the
 * book (a burst would make every write clone thousands of ids): they are the billable events
 * waiting in the queue, `[type, day queued]`, read when asked.
 */
export const summarise = (b: Book, pending: Array<[string, string]> = []): Omit<LedgerReport, 'cycle'> => {
  const zero = (): Activities => ({ pending: 0, accepted: 0, rejected: 0, dropped: 0 });
  const activities = zero();
  const byType: Record<string, Activities> = {};
  const byDay: Record<string, Activities> = {};
  const drops: Record<string, number> = {};
  const observed: Record<string, number> = {};
  const add = (kind: keyof Activities, type: string, day: string, n: number) => {
    for (const a of [activities, (byType[type] ||= zero()), (byDay[day] ||= zero())]) a[kind] += n;
  };
  for (const [type, day] of pending) add('pending', type, day, 1);
  for (const [key, n] of Object.entries(b.c)) {
    const [kind, type, day, reason] = key.split(' ') as [Kind, string, string, string];
    if (kind == 'observed') observed[reason] = (observed[reason] || 0) + n;
    else {
      if (kind == 'dropped') drops[reason] = (drops[reason] || 0) + n;
      add(kind, type, day, n);
    }
  }
  return { activities, byType, byDay, drops, observed };
};

export const ledger: Plugin = (core) => {
  const { allowance, cycleStartDay: startDay } = core.config;
  const invalid = checkConfig(core.config, (message) => core.warn(`config:${message}`, message));
  const timeZone = invalid.includes('timeZone') ? 'UTC' : core.config.timeZone;
  const granted = () => core.consentState() == 'granted';
  const billable = (type: string) => !!core.lookup(type)?.billable;

  let ops: Op[] = [];
  /** Changes made while consent was pending: kept in memory, written once it is granted. */
  let held: Op[] = [];
  /** The account from this page's latest batch reply, not yet written. */
  let account: AccountUsage | undefined;
  let db: UseStore | undefined;
  let failed = false;
  /** The book in memory (before consent, or when IndexedDB fails), and its cycle. */
  let mem: Book | undefined;
  let memKey = '';
  let timer: ReturnType<typeof setTimeout> | 0 | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  let last: Book | undefined;

  const write = () => void commit();
  // A second later, so one write covers a whole delivery run (each write clones the book); at
  // once on a hidden page, which may not get another task. usage() and page hide write at once.
  const schedule = () => (timer ??= document.hidden ? (queueMicrotask(write), 0) : setTimeout(write, WRITE_DELAY_MS));
  // The local day, worked out once a minute: zone offsets are whole minutes, so it cannot change within one.
  let minute = -1;
  let today = '';
  const day = (now = Date.now()) => (((now / 6e4) | 0) == minute ? today : ((minute = (now / 6e4) | 0), (today = dayKey(now, timeZone))));
  /**
   * After a run of queuing (a microtask): does the local forecast newly cross the allowance? Only then is a
   * write needed (it emits the warning); queuing alone never writes, so a burst costs no clones.
   */
  // biome-ignore lint/correctness/noUnusedVariables: read by the `??=` that schedules the check
  let check: 1 | undefined;
  const crossed = () => {
    check = undefined;
    if (!allowance || !last || last.w.local) return;
    const now = Date.now();
    const used = summarise(last).activities.accepted + queuedHere.size;
    if (forecast({ used, allowance, ...cycleAt(now, startDay, timeZone), now, timeZone }).projected > allowance) void commit(); // the warning, now
  };
  /** Billable events this page queued and has not seen settled: with `accepted`, what the local forecast projects. */
  const queuedHere = new Set<string>();
  const op = (kind: Kind, event: Envelope | { id?: string; type?: string }, reason?: string) => {
    if (!billable(event.type!)) return;
    queuedHere.delete(event.id!);
    ops.push([kind, event.id || '', event.type!, day(), reason]);
    schedule();
  };

  /** Merge this cycle's record with the changes so far, in one transaction; resolves with the record. */
  const run = async (): Promise<Book> => {
    const now = Date.now();
    const cycle = cycleAt(now, startDay, timeZone);
    const key = cycle.start.toISOString();
    const prev = cycleAt(+cycle.start - 1, startDay, timeZone).start.toISOString();
    const todo = ops;
    const acc = account;
    ops = [];
    account = undefined;
    let warnings: UsageWarning[] = [];
    const change = (b: Book, changes: Op[]): Book => {
      apply(b, changes);
      if (acc) b.u = acc;
      const warn = (source: UsageWarning['source'], allowance: number, { projected, exhaustsOn }: Forecast) => {
        if (allowance > 0 && projected > allowance && !b.w[source]) {
          b.w[source] = 1;
          warnings.push({ projected, allowance, exhaustsOn, source });
        }
      };
      const mine = summarise(b).activities;
      warn('local', allowance, forecast({ used: mine.accepted + queuedHere.size, allowance, ...cycle, now, timeZone }));
      if (b.u) warn('account', b.u.allowance, accountReport(b.u, now));
      return b;
    };
    let book: Book | undefined;
    if (granted() && !failed) {
      const all = held.concat(todo);
      try {
        await (db ||= createStore(`${core.config.name}-ledger`, 'cycles'))('readwrite', (store) => {
          const put = (b: Book) => store.put((book = change(b, all)), key);
          const r = store.get(key);
          r.onsuccess = () => {
            if (r.result) return put(r.result);
            const q = store.get(prev);
            q.onsuccess = () => put(fresh(q.result));
          };
          return promisifyRequest(store.transaction);
        });
        held = [];
      } catch {
        // Lost connection, private mode, full disk: count in memory from now on.
        failed = true;
        book = undefined;
        warnings = [];
        core.emit('warning', { code: 'ledger-memory', message: 'ledger kept in memory' });
      }
    } else if (!granted()) held.push(...todo);
    if (!book) {
      if (memKey != key) mem = fresh(mem);
      memKey = key;
      book = change(mem!, todo);
    }
    for (const w of warnings) core.emit('usage-warning', w);
    return (last = book);
  };

  /** Writes run one after another; a failed one never blocks the next. */
  const commit = (): Promise<Book> => {
    clearTimeout(timer || undefined);
    timer = undefined;
    const next = writing.then(run);
    writing = next.catch(() => {});
    return next;
  };

  const counts: { [K in keyof TrackerEvents]?: (payload: TrackerEvents[K]) => void } = {
    acked: (p) => listed(p).forEach((e) => op('accepted', e)),
    rejected: ({ event }) => op('rejected', event, 'collector'),
    dropped: (p) => listed(p).forEach((e) => op('dropped', e, p.reason)),
    observed: ({ reason, event }) => op('observed', event, reason),
    // invalid-body, invalid-envelope, platform-only: an activity refused at track time.
    error: (e) => /^(inv|pl)/.test(e.code) && op('rejected', e, 'invalid'),
    usage: (u) => {
      account = u;
      schedule();
    },
  };
  const offs = [
    ...Object.entries(counts).map(([name, fn]) => core.on(name as 'usage', fn as (u: AccountUsage) => void)),
    core.on('queued', ({ event }) => {
      if (!billable(event.type)) return;
      queuedHere.add(event.id);
      check ??= (queueMicrotask(crossed), 1); // after the caller's loop, before the task ends
    }),
    core.hide(() => {
      if (ops.length) void commit(); // the page may be going: write what is known now
    }),
    core.section(async (): Promise<Partial<UsageReport>> => {
      const [book, waiting] = await Promise.all([
        commit().catch(() => last || fresh()), // a failed write still reports what is known
        read(core.queue, core.config.maxQueueEvents).catch(() => []),
      ]);
      // Pending: the billable events waiting, in the queue (every tab's) or held for consent, by the day queued.
      const pending = [
        ...waiting.map((item): [string, number] => [item.type, keyTime(item.k)]),
        ...core.held.map((event): [string, number] => [event.type, Date.parse(event.createdAt)]),
      ]
        .filter(([type]) => billable(type))
        .map(([type, at]): [string, string] => [type, day(at)]);
      const cycle = cycleAt(Date.now(), startDay, timeZone);
      return {
        cycle: { start: cycle.start.toISOString(), end: cycle.end.toISOString() },
        ...summarise(book, pending),
        account: book.u ? accountReport(book.u) : null,
      };
    }),
  ];
  // What happened before the ledger arrived (in the background chunk) counts too.
  for (const [name, payload] of core.missed || []) counts[name]?.(payload as never);
  void commit(); // read the stored book: the local forecast check starts from it

  return () => {
    offs.forEach((off) => off());
    if (ops.length) void commit(); // what this page counted outlives it
  };
};
