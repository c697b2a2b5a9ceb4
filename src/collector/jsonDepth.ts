// How deep JSON nests, found by a scan before JSON.parse: brackets and braces counted outside
// strings. It runs on the body's chunks as they arrive, so a megabyte of "[[[[…" is refused
// after its first kilobyte, unread beyond, instead of being parsed into half a million nested
// arrays. The characters it looks at are ASCII, which never occur inside a multi-byte UTF-8
// sequence: bytes and UTF-16 code units scan alike.

/** Levels of arrays and objects a batch body may nest (the batch is level 1, an event 3). */
export const MAX_JSON_DEPTH = 1024;

const QUOTE = 34;
const BACKSLASH = 92;

export interface DepthScanner {
  /** Scan the next bytes; false once the text has nested deeper than the bound. */
  feed(chunk: Uint8Array): boolean;
}

export const createDepthScanner = (max = MAX_JSON_DEPTH): DepthScanner => {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let over = false;
  return {
    feed(chunk) {
      for (let i = 0; i < chunk.length && !over; i++) {
        const c = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === 91 || c === 123)
          over = ++depth > max; // [ {
        else if (c === 93 || c === 125) depth--; // ] }
      }
      return !over;
    },
  };
};

/** Whether `text` holds more than `max` brackets and braces, strings included: found by indexOf, far quicker than a scan. */
const opensOver = (text: string, max: number): boolean => {
  let opens = 0;
  for (const open of ['[', '{']) {
    for (let at = text.indexOf(open); at !== -1; at = text.indexOf(open, at + 1)) if (++opens > max) return true;
  }
  return false;
};

/**
 * Whether JSON text nests arrays and objects deeper than `max`. A text with no more openings than
 * `max` cannot, and most batches (~5 per event) have far fewer than 1,024: they need no scan.
 */
export const nestsDeeperThan = (text: string, max = MAX_JSON_DEPTH): boolean => opensOver(text, max) && !createDepthScanner(max).feed(Buffer.from(text));
