// The inspector's panel: a toggle button and a side panel, drawn from state with
// createElement and textContent only. Event data is never parsed as HTML.
import { el } from '../shop/dom';
import { STATUS_LABEL, accountLines, batchSummary, bodyText, formatTime, ledgerRows, statusCounts } from './format';
import type { EventRow, InspectorState } from './state';

export interface PanelActions {
  flush(): void;
  consent(state: 'granted' | 'denied'): void;
  clear(): void;
  /** The panel was opened: fetch fresh figures. */
  opened(): void;
}

export interface Panel {
  render(state: InspectorState, loaded: boolean): void;
}

const OPEN_KEY = 'shoptrail-inspector.open';

const STYLE = `
.stqa-toggle{position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;border-radius:999px;padding:10px 16px;background:#1d2430;color:#fff;font:600 13px/1 system-ui,sans-serif;box-shadow:0 6px 18px rgba(0,0,0,.25);cursor:pointer}
.stqa-toggle[aria-expanded=true]{background:#3d6df2}
.stqa-panel{position:fixed;top:0;right:0;bottom:0;width:min(440px,100vw);z-index:2147482999;background:#11161f;color:#dfe6f0;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow:auto;box-shadow:-8px 0 24px rgba(0,0,0,.3);padding:14px 14px 70px}
.stqa-panel[hidden]{display:none}
.stqa-panel h2{font:700 14px/1.2 system-ui,sans-serif;margin:0;color:#fff}
.stqa-head{display:flex;justify-content:space-between;align-items:center;margin-bottom:10px}
.stqa-head button{border:0;background:none;color:#8ea0b8;font-size:18px;cursor:pointer}
.stqa-panel h3{font:600 12px/1.2 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.08em;color:#8ea0b8;margin:16px 0 6px}
.stqa-strip{display:flex;flex-wrap:wrap;gap:6px 14px;margin-bottom:8px}
.stqa-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:10px}
.stqa-buttons button{border:1px solid #394458;background:#1d2430;color:#dfe6f0;border-radius:6px;padding:5px 9px;font:12px system-ui,sans-serif;cursor:pointer}
.stqa-buttons button:hover{background:#2a3446}
.stqa-list{list-style:none;margin:0;padding:0}
.stqa-list li{border-bottom:1px solid #232c3a;padding:4px 0}
.stqa-list summary{cursor:pointer;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.stqa-type{color:#fff;font-weight:700}
.stqa-badge{border-radius:4px;padding:0 5px;font-size:11px;background:#394458;color:#fff}
.stqa-s-queued .stqa-badge{background:#6b5d1d}.stqa-s-sent .stqa-badge{background:#1d4e6b}.stqa-s-retrying .stqa-badge{background:#8a4d12}
.stqa-s-acked .stqa-badge{background:#1f6b3a}.stqa-s-rejected .stqa-badge,.stqa-s-dropped .stqa-badge{background:#8f2424}
.stqa-reason{color:#f1b38a}
.stqa-muted{color:#8ea0b8}
.stqa-panel pre{white-space:pre-wrap;word-break:break-all;background:#0a0e14;border-radius:6px;padding:8px;margin:6px 0;max-height:260px;overflow:auto}
.stqa-log-error{color:#ff9c9c}.stqa-log-warning{color:#f3d37a}
.stqa-kv{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}
.stqa-kv dt{color:#8ea0b8}.stqa-kv dd{margin:0}
`;

const eventItem = (row: EventRow, open: Set<string>): HTMLElement => {
  const details = el(
    'details',
    {},
    el(
      'summary',
      {},
      el('time', { class: 'stqa-muted' }, formatTime(row.at)),
      el('span', { class: 'stqa-type' }, row.type),
      el('span', { class: 'stqa-badge' }, STATUS_LABEL[row.status]),
      row.earlier ? el('span', { class: 'stqa-muted' }, 'from an earlier page') : null,
      row.reason ? el('span', { class: 'stqa-reason' }, row.reason) : null,
    ),
    el('div', { class: 'stqa-muted' }, `id ${row.id}${row.createdAt ? ` · created ${row.createdAt}` : ''}`),
    el('div', { class: 'stqa-muted' }, row.history.map((h) => `${STATUS_LABEL[h.status]} ${formatTime(h.at)}`).join(' → ')),
    el('pre', {}, bodyText(row.body)),
  );
  details.open = open.has(row.id);
  details.addEventListener('toggle', () => (details.open ? open.add(row.id) : open.delete(row.id)));
  return el('li', { class: `stqa-s-${row.status}`, 'data-qa-event': row.type, 'data-qa-status': row.status }, details);
};

const section = (title: string, ...children: (Node | null)[]): HTMLElement[] => [el('h3', {}, title), ...(children.filter((c): c is Node => !!c) as HTMLElement[])];

const keyValues = (rows: [string, string][]): HTMLElement => el('dl', { class: 'stqa-kv' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

export const createPanel = (actions: PanelActions): Panel => {
  const style = el('style', {});
  style.textContent = STYLE;
  document.head.append(style);

  const toggle = el(
    'button',
    { class: 'stqa-toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'shoptrail-inspector', 'data-shoptrail-ignore': true },
    'QA',
  );
  const panel = el('aside', { id: 'shoptrail-inspector', class: 'stqa-panel', 'aria-label': 'Shoptrail QA inspector', 'data-shoptrail-ignore': true, hidden: true });
  const body = el('div', {});
  const button = (label: string, onClick: () => void, qa: string) => {
    const b = el('button', { type: 'button', 'data-qa-action': qa }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const closeButton = el('button', { type: 'button', 'aria-label': 'Close the inspector', 'data-qa-action': 'close' }, '×');
  closeButton.addEventListener('click', () => setOpen(false));
  panel.append(
    el('div', { class: 'stqa-head' }, el('h2', {}, 'Shoptrail QA inspector'), closeButton),
    el(
      'div',
      { class: 'stqa-buttons' },
      button('Flush now', actions.flush, 'flush'),
      button('Grant consent', () => actions.consent('granted'), 'grant'),
      button('Deny consent', () => actions.consent('denied'), 'deny'),
      button('Clear list', actions.clear, 'clear'),
    ),
    body,
  );

  const open = new Set<string>();
  let last: [InspectorState, boolean] | undefined;
  let scheduled = false;

  const draw = () => {
    scheduled = false;
    if (!last || panel.hidden) return;
    const [state, loaded] = last;
    const counts = statusCounts(state.events);
    const strip = el(
      'div',
      { class: 'stqa-strip' },
      el('span', { 'data-qa': 'tracker' }, `tracker: ${loaded ? 'loaded' : 'loading…'}`),
      el('span', { 'data-qa': 'queue' }, `queue: ${state.queue ? `${state.queue.size} (${state.queue.storage})` : '?'}`),
      el('span', { 'data-qa': 'consent' }, `consent: ${state.consent ?? 'not reported'}`),
    );
    const summary = el(
      'div',
      { class: 'stqa-muted' },
      Object.entries(counts)
        .filter(([, n]) => n)
        .map(([s, n]) => `${n} ${STATUS_LABEL[s as keyof typeof counts]}`)
        .join(' · ') || 'no events yet',
    );
    const ledger = ledgerRows(state.report);
    const account = accountLines(state.account);
    body.replaceChildren(
      strip,
      ...section(
        `Events (${state.events.length})`,
        summary,
        el('ul', { class: 'stqa-list', 'data-qa': 'events' }, ...state.events.map((row) => eventItem(row, open))),
      ),
      ...section(
        `Batches (${state.batches.length})`,
        el(
          'ul',
          { class: 'stqa-list', 'data-qa': 'batches' },
          ...state.batches.map((b) => el('li', { 'data-qa-outcome': b.outcome }, el('span', { class: 'stqa-muted' }, `${formatTime(b.at)} `), batchSummary(b))),
        ),
      ),
      ...section(
        `Errors, warnings and notes (${state.log.length})`,
        el(
          'ul',
          { class: 'stqa-list', 'data-qa': 'log' },
          ...state.log.map((l) => el('li', { class: `stqa-log-${l.level}` }, `${formatTime(l.at)} ${l.level} ${l.code}: ${l.message}`)),
        ),
      ),
      ...section(
        'Account usage (from the collector)',
        account.length ? el('div', { 'data-qa': 'account' }, ...account.map((line) => el('div', {}, line))) : el('div', { class: 'stqa-muted' }, 'not reported yet'),
      ),
      ...section('Local ledger', ledger.length ? keyValues(ledger) : el('div', { class: 'stqa-muted' }, 'this tracker keeps no ledger yet')),
    );
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // One redraw per frame however many events arrive; hidden tabs get no frames, so a timer backs it up.
    requestAnimationFrame(draw);
    setTimeout(() => scheduled && draw(), 250);
  };

  const setOpen = (value: boolean) => {
    panel.hidden = !value;
    toggle.setAttribute('aria-expanded', String(value));
    try {
      localStorage.setItem(OPEN_KEY, value ? '1' : '0');
    } catch {
      // storage may be unavailable; the panel still works for this page
    }
    if (value) {
      actions.opened();
      schedule();
    }
  };
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  document.body.append(toggle, panel);
  let wasOpen = false;
  try {
    wasOpen = localStorage.getItem(OPEN_KEY) === '1';
  } catch {
    // as above
  }
  if (wasOpen) setOpen(true);

  return {
    render(state, loaded) {
      last = [state, loaded];
      toggle.textContent = `QA · ${state.events.length}`;
      schedule();
    },
  };
};
