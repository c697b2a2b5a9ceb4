// Which createdAt the collector keeps. The tracker's queue may hold events for days offline,
// so an old createdAt is normal; a browser whose clock is wrong stamps createdAt and the
// batch's sentAt alike, so the gap between sentAt and the collector's clock measures the
// error, and subtracting it gives the real time (as Segment corrects timestamps).
//   - createdAt within [now − 30 days, now + 1 day]: kept as sent;
//   - else, when sentAt is off the collector's clock by over CLOCK_TOLERANCE_MS as well (a wrong
//     clock) and createdAt shifted by that error lands in the window: kept with the corrected
//     createdAt, the browser's own in `clientCreatedAt`;
//   - else (or either time outside years 2000–2099, e.g. 0000 and 9999): refused alone,
//     `invalid-envelope`.
const DAY = 86_400_000;
export const CREATED_AT_PAST_MS = 30 * DAY;
export const CREATED_AT_FUTURE_MS = DAY;
/** sentAt further than this from the collector's clock: the browser's clock is wrong. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

export type CreatedAt = { ok: true; createdAt: string; clientCreatedAt?: string } | { ok: false; error: string };

const plausible = (t: number) => Number.isFinite(t) && t >= EARLIEST && t < LATEST;

const inWindow = (t: number, now: number) => t >= now - CREATED_AT_PAST_MS && t <= now + CREATED_AT_FUTURE_MS;

// Built only when refused: this runs for every event.
const refused = (createdAt: string): CreatedAt => ({
  ok: false,
  error: `invalid-envelope: createdAt ${createdAt.slice(0, 40)} is over 30 days before or 1 day after the collector's clock`,
});

/** The createdAt to store for an event, given the batch's sentAt and the collector's now. */
export const checkCreatedAt = (createdAt: string, sentAt: string, now: number): CreatedAt => {
  const created = Date.parse(createdAt);
  if (!plausible(created)) return refused(createdAt);
  if (inWindow(created, now)) return { ok: true, createdAt };
  const sent = Date.parse(sentAt);
  const skew = now - sent;
  if (!plausible(sent) || Math.abs(skew) <= CLOCK_TOLERANCE_MS) return refused(createdAt);
  const corrected = created + skew;
  if (!inWindow(corrected, now)) return refused(createdAt);
  return { ok: true, createdAt: new Date(corrected).toISOString(), clientCreatedAt: createdAt };
};
