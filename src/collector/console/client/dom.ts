// A tiny element builder: text always goes in as text (never as HTML), so event data that a
// shopper typed can never become markup in the console.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  el.append(
    ...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)),
  );
  return el;
};

/** 12,345 */
export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

/** 12.3 % (one decimal), or — without a base. */
export const pct = (part: number, whole: number | null | undefined): string =>
  whole ? `${(Math.round((part / whole) * 1000) / 10).toLocaleString('en-US')} %` : '—';

/** "1 March 2026" for an instant in a time zone, or for a "YYYY-MM-DD" day. */
export const longDate = (at: string, timeZone = 'UTC'): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: /^\d{4}-\d{2}-\d{2}$/.test(at) ? 'UTC' : timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(at),
  );

/** "2026-03-05 14:02:11" in UTC: sortable, unambiguous. */
export const stamp = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

/** A table with a caption, headers and rows; `num` columns align right and never wrap. */
export const table = (caption: string, heads: Array<[string, 'num' | 'text']>, rows: Child[][], attrs: Attrs = {}) =>
  h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      attrs,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...heads.map(([label, kind]) => h('th', { scope: 'col', class: kind }, label)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell, i) => h('td', { class: heads[i]?.[1] }, cell))))),
    ),
  );

/** An empty state that says what to do. */
export const empty = (text: string) => h('p', { class: 'empty' }, text);
