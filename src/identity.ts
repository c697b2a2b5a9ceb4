// Who and when: the anonymous id of this browser, the customer once identified, and the
// session, which rolls after a period of inactivity. They live in localStorage because every
// event needs them synchronously; the hot path only touches memory and persistence is
// throttled. Nothing is written until consent allows it.
import type { Utm } from './envelope';
import { readJson, removeKey, writeJson } from './lib/storage';
import { uuid } from './lib/uuid';

interface StoredIds {
  a: string;
  c?: string;
  /** Fingerprint of the last identify() sent, so a repeat on every page is not billed again. */
  h?: string;
}

interface StoredSession {
  id: string;
  last: number;
  utm?: Utm;
}

export interface Identity {
  readonly anonymousId: string;
  /** This browser had no anonymous id before this page: announce it once. */
  readonly isNew: boolean;
  readonly customerId: string | undefined;
  /** The session id for an event at `now`, starting a new session after inactivity. */
  session(now: number): string;
  readonly utm: Utm | undefined;
  /** Whether identify(customerId, traits) would tell the collector anything new; records it. */
  identifyChanges(customerId: string, fingerprint: string): boolean;
  /** Forget the customer and start afresh (logout). */
  reset(): void;
  /** Write ids and session now if they changed (page hide, consent granted). */
  save(): void;
  /** Remove everything stored (consent denied). */
  erase(): void;
}

const SAVE_EVERY_MS = 15_000;

export const createIdentity = (name: string, sessionTimeoutMs: number, landingUtm: Utm | undefined, mayPersist: () => boolean): Identity => {
  const idsKey = `${name}.ids`;
  const sessionKey = `${name}.session`;
  const storedIds = readJson<StoredIds>(idsKey);
  const isNew = !storedIds?.a;
  let ids: StoredIds = isNew ? { a: uuid() } : storedIds!;
  const now = Date.now();
  let session = readJson<StoredSession>(sessionKey);
  if (!session?.id || now - session.last > sessionTimeoutMs) session = { id: uuid(), last: now };
  // A landing with campaign parameters sets the session's campaign; otherwise the session keeps its own.
  if (landingUtm) session.utm = landingUtm;
  let dirty = true;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!dirty || !mayPersist()) return;
    dirty = !(writeJson(idsKey, ids) && writeJson(sessionKey, session));
  };

  /** Session activity is saved lazily; identity changes (rare, and other tabs need them) at once. */
  const changed = (now = false) => {
    dirty = true;
    if (now) save();
    else saveTimer ??= setTimeout(save, SAVE_EVERY_MS);
  };

  return {
    get anonymousId() {
      return ids.a;
    },
    isNew,
    get customerId() {
      return ids.c;
    },
    session(at) {
      if (at - session!.last > sessionTimeoutMs) {
        // Another tab may have kept the session alive meanwhile.
        const shared = readJson<StoredSession>(sessionKey);
        session = shared?.id && at - shared.last <= sessionTimeoutMs ? shared : { id: uuid(), last: at };
      }
      if (at - session!.last > 1000) changed(); // activity to the second is plenty
      session!.last = Math.max(session!.last, at);
      return session!.id;
    },
    get utm() {
      return session!.utm;
    },
    identifyChanges(customerId, fingerprint) {
      if (ids.c === customerId && ids.h === fingerprint) return false;
      ids = { ...ids, c: customerId, h: fingerprint };
      changed(true);
      return true;
    },
    reset() {
      ids = { a: uuid() };
      session = { id: uuid(), last: Date.now() };
      changed(true);
    },
    save,
    erase() {
      clearTimeout(saveTimer);
      saveTimer = undefined;
      removeKey(idsKey);
      removeKey(sessionKey);
      dirty = true;
    },
  };
};
