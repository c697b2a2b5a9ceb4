// Random v4 UUIDs. `crypto.randomUUID` exists only in secure contexts, and stores still serve
// pages over plain http, so fall back to `getRandomValues`, which works everywhere.
const hex: string[] = [];
for (let i = 0; i < 256; i++) hex.push((i + 256).toString(16).slice(1));

export const uuid = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + hex[b[i]!];
  return s;
};
