// UTF-8 byte length of a string without allocating an encoded copy: batches are bounded in
// bytes on the wire, not in UTF-16 code units.
export const utf8Length = (s: string): number => {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
};
