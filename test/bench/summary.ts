// Median and range over rounds: every figure the tables print comes from here, read from the
// rounds stored in the results file.
import type { Measured } from './measure';

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Rounds that produced the figure. */
  n: number;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The spread of one figure over the rounds that have it; undefined when none has. */
export const spread = (rounds: Measured[], pick: (m: Measured) => number | null | undefined): Spread | undefined => {
  const values = rounds.map(pick).filter((v): v is number => v != null && Number.isFinite(v));
  if (!values.length) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
};

/** The figures of one SDK across rounds, by name (what the tables and docs print). */
export const summarise = (rounds: Measured[]) => {
  const d = (m: Measured) => m.delivery;
  const perDelivered = (m: Measured, bytes: number | undefined) => (d(m)?.delivered ? bytes! / d(m)!.delivered : undefined);
  return {
    mainThreadUs: spread(rounds, (m) => d(m)?.mainThreadUsPerEvent),
    idleMsPerS: spread(rounds, (m) => d(m)?.mainThread.idleMsPerS),
    // Absent from results files written before the bench measured them, and where /proc cannot be read.
    mainThreadCpuUs: spread(rounds, (m) => d(m)?.mainThreadCpuUsPerEvent),
    mainThreadWaitUs: spread(rounds, (m) => d(m)?.mainThreadWaitUsPerEvent),
    // Absent from results files written before the bench measured it.
    rendererCpuUs: spread(rounds, (m) => d(m)?.rendererCpuUsPerEvent),
    coldUs: spread(rounds, (m) => m.cost?.coldUs),
    warmUs: spread(rounds, (m) => m.cost?.warmUs),
    cookieReads: spread(rounds, (m) => d(m)?.perEvent.cookieReads),
    cookieWrites: spread(rounds, (m) => d(m)?.perEvent.cookieWrites),
    storageReads: spread(rounds, (m) => d(m)?.perEvent.storageReads),
    storageWrites: spread(rounds, (m) => d(m)?.perEvent.storageWrites),
    cookieUs: spread(rounds, (m) => d(m)?.perEvent.cookieUs),
    storageUs: spread(rounds, (m) => d(m)?.perEvent.storageUs),
    cookieRoundTripUs: spread(rounds, (m) => d(m)?.cookieRoundTripUs),
    issued: spread(rounds, (m) => d(m)?.events),
    issueS: spread(rounds, (m) => (d(m) ? d(m)!.issueMs / 1000 : undefined)),
    deliverS: spread(rounds, (m) => (d(m)?.deliverMs != null ? d(m)!.deliverMs! / 1000 : undefined)),
    delivered: spread(rounds, (m) => d(m)?.delivered),
    requestsPerEvent: spread(rounds, (m) => perDelivered(m, d(m)?.requests)),
    bodyBytesPerEvent: spread(rounds, (m) => perDelivered(m, d(m)?.bodyBytes)),
    headerBytesPerEvent: spread(rounds, (m) => perDelivered(m, d(m)?.headerBytes)),
    bytesPerEvent: spread(rounds, (m) => perDelivered(m, d(m) ? d(m)!.bodyBytes + d(m)!.headerBytes : undefined)),
    longtasks: spread(rounds, (m) => d(m)?.longtasks),
    longestTaskMs: spread(rounds, (m) => d(m)?.longestTaskMs),
    idbPer1000: spread(rounds, (m) => d(m)?.idbTransactionsPer1000),
  };
};

export type Summary = ReturnType<typeof summarise>;
