// The cost guards, checked before an event is queued, installed from the tracker's options. In
// `observe` mode a guard's verdict is reported (`observed`) instead of dropping the event. They
// live in the first download: unlike the ledger that counts their drops, they must act at once.
// Owns the session's count (`<name>.cap` in localStorage). The account's figures belong to the
// ledger (src/ledger.ts, IndexedDB); `<name>.account` here is a cache of the latest batch reply,
// in localStorage because the allowance guard must decide synchronously from a page's first event.
import { readJson, writeJson } from '../lib/storage';
import type { Guard, Plugin } from '../plugin';
import type { AccountUsage } from '../protocol';
import { allowance } from './allowance';
import { duplicate, ordersKey } from './duplicate';
import { rateLimit } from './rateLimit';
import { type SessionCount, sessionCap } from './sessionCap';

export const guards: Plugin = (core) => {
  const { name, duplicateWindow, allowanceReserve, rateLimits, sessionCap: cap, guardMode } = core.config;
  const granted = () => core.consentState() == 'granted';
  // Kept in localStorage, so a loop cannot restart its budget by reloading the page, and the
  // allowance is known before this page's first batch reply.
  const capKey = `${name}.cap`;
  const accountKey = `${name}.account`;
  const count: SessionCount = readJson<SessionCount>(capKey) || { s: '', n: 0 };
  let account = readJson<AccountUsage>(accountKey);
  /** What the cache holds: written again when the figures moved, not on every batch reply. */
  let cached = account;
  const cache = () => granted() && account != cached && writeJson(accountKey, (cached = account));

  const list: Guard[] = [
    duplicate(duplicateWindow, ordersKey(name), granted),
    allowance(() => account, allowanceReserve),
    rateLimit(rateLimits),
    sessionCap(cap, count),
  ];
  const installed: Guard[] =
    guardMode == 'observe'
      ? list.map((guard) => (event, entry) => {
          const reason = guard(event, entry);
          if (reason) core.emit('observed', { reason, event });
          return undefined;
        })
      : list;
  const undos = [
    ...installed.map(core.guard),
    core.on('usage', (u) => {
      account = u;
      // A localStorage write cost the main thread 200–500 µs in Chromium, once per batch: the
      // next page needs the figures within a hundredth of the allowance (its reserves are 2% and
      // 10%), and gets the latest on page hide.
      if (!cached || u.allowance != cached.allowance || Math.abs(u.used - cached.used) * 100 >= u.allowance) cache();
    }),
    core.hide(() => {
      if (granted()) writeJson(capKey, count);
      cache();
    }),
  ];
  return () => undos.forEach((undo) => undo());
};
