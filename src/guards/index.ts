// The cost guards, checked before an event is queued, installed from the tracker's options. In
// `observe` mode a guard's verdict is reported (`observed`) instead of dropping the event. They
// live in the first download: unlike the ledger that counts their drops, they must act at once.
import type { AccountUsage } from '../protocol';
import { onHidden } from '../lib/onHidden';
import { readJson, writeJson } from '../lib/storage';
import type { Guard, Plugin } from '../tracker';
import type { AccountingOptions } from '../types';
import { allowance } from './allowance';
import { duplicate } from './duplicate';
import { rateLimit } from './rateLimit';
import { type SessionCount, sessionCap } from './sessionCap';

/** A positive number option, also from a script tag's string attribute; else undefined (the default). */
export const num = (value: unknown): number | undefined => +(value as number) || undefined;

export const guards: Plugin = (core) => {
  const o = core.options as AccountingOptions;
  const name = core.config.name;
  const granted = () => core.consentState() == 'granted';
  // Kept in localStorage, so a loop cannot restart its budget by reloading the page, and the
  // allowance is known before this page's first batch reply.
  const capKey = `${name}.cap`;
  const accountKey = `${name}.account`;
  const count: SessionCount = readJson<SessionCount>(capKey) || { s: '', n: 0 };
  let account = readJson<AccountUsage>(accountKey);

  const list: Guard[] = [
    duplicate(num(o.duplicateWindow), `${name}.orders`, granted),
    allowance(() => account, o.allowanceReserve),
    rateLimit(o.rateLimits),
    sessionCap(num(o.sessionCap), count),
  ];
  const installed: Guard[] =
    o.guardMode == 'observe'
      ? list.map((guard) => (event, entry) => {
          const reason = guard(event, entry);
          if (reason) core.emit('observed', { reason, event });
          return undefined;
        })
      : list;
  core.guards.push(...installed);

  const offs = [
    core.on('usage', (u) => {
      account = u;
      if (granted()) writeJson(accountKey, u);
    }),
    onHidden(() => {
      if (granted()) writeJson(capKey, count);
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    for (const g of installed) core.guards.splice(core.guards.indexOf(g), 1);
  };
};
