// Random v4 UUIDs, one per event, so this is on track()'s hot path. crypto.randomUUID costs
// over a microsecond a call in Chromium, and exists only in secure contexts; drawing random
// bytes in bulk from getRandomValues (which works everywhere) and formatting them is faster.
// One String.fromCharCode of the 36 character codes makes one flat string: concatenating 20
// pieces made 19 intermediate strings, garbage that a cold page pays for in GC.
/** Character codes of each byte's two hex digits. */
const high: number[] = [];
const low: number[] = [];
for (let i = 0; i < 256; i++) {
  const hex = (i + 256).toString(16);
  high.push(hex.charCodeAt(1));
  low.push(hex.charCodeAt(2));
}

const POOL = 16 * 128;
let pool = new Uint8Array(0);
let at = POOL;

/** The character codes of the id being made, reused: dashes where k is 4, 6, 8 and 10. */
const codes: number[] = [];

export const uuid = (): string => {
  if (at >= POOL) {
    pool = crypto.getRandomValues(new Uint8Array(POOL));
    at = 0;
  }
  for (let k = 0, p = 0; k < 16; k++) {
    // byte 6 carries the version (4), byte 8 the variant (10xx)
    const x = k == 6 ? (pool[at]! & 0x0f) | 0x40 : k == 8 ? (pool[at]! & 0x3f) | 0x80 : pool[at]!;
    if (k > 3 && k < 11 && !(k & 1)) codes[p++] = 45;
    codes[p++] = high[x]!;
    codes[p++] = low[x]!;
    at++;
  }
  return String.fromCharCode.apply(null, codes);
};
