// The inspector's state and the one pure function that changes it. Every tracker event
// becomes an action; the panel draws whatever state results. Types are structural copies of
// the tracker's public ones, read defensively: the inspector must never trust event data.

export type EventStatus = 'queued' | 'sent' | 'retrying' | 'acked' | 'rejected' | 'dropped';

export interface EnvelopeLike {
  id: string;
  type: string;
  createdAt?: string;
  body?: unknown;
}

export interface BatchLike {
  batchId: string;
  ids: string[];
  bytes: number;
  wireBytes: number;
  encoding: string;
  transport: string;
  status: number;
  outcome: string;
  retryInMs?: number;
  reason?: string;
}

export interface AccountLike {
  cycleStart?: string;
  cycleEnd?: string;
  used?: number;
  allowance?: number;
  percent?: number;
  projected?: number;
  exhaustsOn?: string | null;
  daysLeft?: number;
}

/** What `usage()` returns: the queue and account today; the ledger's figures once it lands. */
export interface UsageReportLike {
  queue?: { size: number; storage: string };
  account?: AccountLike | null;
  cycle?: { start: string; end: string };
  activities?: Record<string, number>;
  byType?: Record<string, Record<string, number> | number>;
  byDay?: Record<string, Record<string, number> | number>;
  drops?: Record<string, number>;
  observed?: Record<string, number>;
}

export interface EventRow {
  id: string;
  type: string;
  body: unknown;
  createdAt?: string;
  /** When the inspector first heard of it. */
  at: number;
  status: EventStatus;
  reason?: string;
  /** Queued on an earlier page: this page only saw it delivered. */
  earlier?: boolean;
  history: { status: EventStatus; at: number }[];
}

export interface BatchRow extends BatchLike {
  at: number;
}

export interface LogRow {
  at: number;
  level: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export interface InspectorState {
  events: EventRow[];
  batches: BatchRow[];
  log: LogRow[];
  queue?: { size: number; storage: string };
  consent?: string;
  account?: AccountLike;
  report?: UsageReportLike;
}

export type Action =
  | { kind: 'queued'; at: number; event: EnvelopeLike }
  | { kind: 'batch'; at: number; report: BatchLike }
  | { kind: 'acked'; at: number; events: EnvelopeLike[] }
  | { kind: 'rejected'; at: number; event: EnvelopeLike; error: string }
  | { kind: 'dropped'; at: number; reason: string; events: EnvelopeLike[] }
  | { kind: 'error' | 'warning' | 'info'; at: number; code: string; message: string }
  | { kind: 'usage'; at: number; account: AccountLike }
  | { kind: 'queue'; at: number; size: number; storage: string }
  | { kind: 'consent'; at: number; state: string }
  | { kind: 'report'; at: number; report: UsageReportLike }
  | { kind: 'clear' };

export const MAX_EVENTS = 200;
export const MAX_BATCHES = 30;
export const MAX_LOG = 50;

export const initialState = (): InspectorState => ({ events: [], batches: [], log: [] });

/** Later states never go back to earlier ones: a late `batch` report cannot undo an ack. */
const FINAL: EventStatus[] = ['acked', 'rejected', 'dropped'];

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

const setStatus = (events: EventRow[], envelope: EnvelopeLike | string, status: EventStatus, at: number, reason?: string): EventRow[] => {
  const id = typeof envelope === 'string' ? envelope : str(envelope?.id);
  const index = events.findIndex((row) => row.id === id);
  if (index < 0) {
    // Only whole envelopes make rows: a bare id (from a batch report) has no type to show.
    if (typeof envelope === 'string' || !id) return events;
    const row: EventRow = {
      id,
      type: str(envelope.type, '?'),
      body: envelope.body,
      createdAt: str(envelope.createdAt) || undefined,
      at,
      status,
      reason,
      earlier: status !== 'queued',
      history: [{ status, at }],
    };
    return [row, ...events].slice(0, MAX_EVENTS);
  }
  const row = events[index]!;
  if (FINAL.includes(row.status)) return events;
  const next = events.slice();
  next[index] = { ...row, status, reason, history: [...row.history, { status, at }] };
  return next;
};

const batchStatus = (report: BatchLike): [EventStatus, string | undefined] | undefined => {
  const http = report.status ? `HTTP ${report.status}` : 'network error';
  switch (report.outcome) {
    case 'acked':
      return ['sent', undefined];
    case 'handed-off':
      return ['sent', `handed to the browser (${report.transport}) as the page hid`];
    case 'retry':
      return ['retrying', `${http}${report.reason ? `: ${report.reason}` : ''}; retry in ${Math.round((report.retryInMs ?? 0) / 100) / 10} s`];
    case 'split':
      return ['queued', `${http}: batch too large, sent again in halves`];
    default:
      return undefined; // 'dropped': the `dropped` event that follows says why
  }
};

export const reduce = (state: InspectorState, action: Action): InspectorState => {
  switch (action.kind) {
    case 'queued':
      return { ...state, events: setStatus(state.events, action.event, 'queued', action.at) };
    case 'batch': {
      const report = action.report;
      const batches = [{ ...report, ids: Array.isArray(report.ids) ? report.ids : [], at: action.at }, ...state.batches].slice(0, MAX_BATCHES);
      const change = batchStatus(report);
      let events = state.events;
      if (change) for (const id of batches[0]!.ids) events = setStatus(events, String(id), change[0], action.at, change[1]);
      return { ...state, batches, events };
    }
    case 'acked': {
      let events = state.events;
      for (const event of action.events ?? []) events = setStatus(events, event, 'acked', action.at);
      return { ...state, events };
    }
    case 'rejected':
      return { ...state, events: setStatus(state.events, action.event, 'rejected', action.at, str(action.error, 'rejected')) };
    case 'dropped': {
      let events = state.events;
      for (const event of action.events ?? []) events = setStatus(events, event, 'dropped', action.at, str(action.reason, 'dropped'));
      return { ...state, events };
    }
    case 'error':
    case 'warning':
    case 'info': {
      const row: LogRow = { at: action.at, level: action.kind, code: str(action.code, action.kind), message: str(action.message) };
      return { ...state, log: [row, ...state.log].slice(0, MAX_LOG) };
    }
    case 'usage':
      return { ...state, account: action.account };
    case 'queue':
      return { ...state, queue: { size: action.size, storage: action.storage } };
    case 'consent':
      return { ...state, consent: action.state };
    case 'report': {
      const report = action.report;
      return {
        ...state,
        report,
        queue: report.queue ?? state.queue,
        account: report.account ?? state.account,
      };
    }
    case 'clear':
      return { ...state, events: [], batches: [], log: [] };
  }
};
