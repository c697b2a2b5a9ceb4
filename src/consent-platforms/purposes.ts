// Consent per purpose, as the consent platforms report it (docs/integrations.md has the table):
// - analytics: store (IndexedDB, localStorage ids) and send events at all: the tracker's own
//   consent state (src/consent.ts), held while unknown, dropped when denied;
// - marketing: what ties events to a person or an ad: identify() (entity-identified, and the
//   customerId on events) and the ad platforms' click ids (gclid, fbclid …) in the campaign.
//   Unknown counts as not given.
import type { Envelope } from '../envelope';
import type { Core, Undo } from '../plugin';

/** A platform's reading: true given, false refused, undefined not (yet) asked. */
export interface Purposes {
  analytics?: boolean;
  marketing?: boolean;
}

/** A consent platform to follow: calls `report` with each reading, now and on every change. */
export type Platform = (report: (purposes: Purposes) => void) => Undo;

const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'dclid'];

/** The event without what marketing consent covers (a copy of the shared context). */
const withoutMarketing = (event: Envelope): void => {
  delete event.customerId;
  const utm = event.context.utm as Record<string, string> | undefined;
  if (utm && CLICK_IDS.some((id) => id in utm)) {
    const kept = Object.fromEntries(Object.entries(utm).filter(([key]) => !CLICK_IDS.includes(key)));
    event.context = { ...event.context, utm: kept };
  }
};

/** Follow the readings: analytics decides the tracker's consent; marketing guards each event. */
export const applyPurposes = (core: Core): { report: (purposes: Purposes) => void; undo: Undo } => {
  let marketing = false;
  const undo = core.guard((event) => {
    if (marketing) return undefined;
    if (event.type === 'entity-identified') return 'consent-marketing';
    withoutMarketing(event); // (a guard that narrows instead of dropping: the one hook before the queue)
    return undefined;
  });
  const report = ({ analytics, marketing: ads }: Purposes) => {
    if (ads !== undefined) marketing = ads;
    if (analytics !== undefined) core.consent(analytics ? 'granted' : 'denied');
  };
  return { report, undo };
};
