// How deep JSON text nests, found by a scan of its characters before JSON.parse: brackets and
// braces counted outside strings. A megabyte of "[[[[…" is refused here in a millisecond,
// instead of being parsed into half a million nested arrays and walked.

/** Levels of arrays and objects a batch body may nest (the batch is level 1, an event 3). */
export const MAX_JSON_DEPTH = 1024;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = new Set([91, 123]); // [ {
const CLOSE = new Set([93, 125]); // ] }

/** Whether `text` nests arrays and objects deeper than `max`; only its brackets are looked at. */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPEN.has(c)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(c)) depth--;
  }
  return false;
};
