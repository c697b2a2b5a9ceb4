// Random v4 UUIDs, one per event, so this is on track()'s hot path. crypto.randomUUID costs
// over a microsecond a call in Chromium, and exists only in secure contexts; drawing random
// bytes in bulk from getRandomValues (which works everywhere) and formatting them is faster.
const hex: string[] = [];
for (let i = 0; i < 256; i++) hex.push((i + 256).toString(16).slice(1));

const POOL = 16 * 128;
let pool = new Uint8Array(0);
let at = POOL;

export const uuid = (): string => {
  if (at >= POOL) {
    pool = crypto.getRandomValues(new Uint8Array(POOL));
    at = 0;
  }
  const b = pool;
  const i = at;
  at += 16;
  return (
    hex[b[i]!]! +
    hex[b[i + 1]!] +
    hex[b[i + 2]!] +
    hex[b[i + 3]!] +
    '-' +
    hex[b[i + 4]!] +
    hex[b[i + 5]!] +
    '-' +
    hex[(b[i + 6]! & 0x0f) | 0x40] +
    hex[b[i + 7]!] +
    '-' +
    hex[(b[i + 8]! & 0x3f) | 0x80] +
    hex[b[i + 9]!] +
    '-' +
    hex[b[i + 10]!] +
    hex[b[i + 11]!] +
    hex[b[i + 12]!] +
    hex[b[i + 13]!] +
    hex[b[i + 14]!] +
    hex[b[i + 15]!]
  );
};
