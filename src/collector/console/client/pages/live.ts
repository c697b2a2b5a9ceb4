// Right now (seed 000): the events arriving, newest first, polled on the commit-safe cursor of
// GET /v1/events?after=. A burst never freezes the page: at most PAGES reads a tick, BUFFER
// events kept, ROWS rows drawn, in one DOM update per tick.
import { type Envelope, get, type Session } from '../api';
import { empty, h, num, stamp } from '../dom';

const EVERY_MS = 2000;
const PAGE = 1000;
const PAGES = 5;
const BUFFER = 1000;
const ROWS = 100;

/** A short, plain-text summary of an event's body. */
const summary = (e: Envelope): string => {
  const b = e.body ?? {};
  const pick = ['name', 'query', 'contentId', 'productId', 'orderId', 'url', 'label', 'customerId'].find(
    (k) => typeof b[k] === 'string' || typeof b[k] === 'number',
  );
  return pick ? `${pick}: ${String(b[pick]).slice(0, 80)}` : (e.context?.page?.path ?? '');
};

export const livePage = async (main: HTMLElement, session: Session): Promise<() => void> => {
  const billable = new Map(session.types.map((t) => [t.type, t.billable]));
  let events: Envelope[] = (await get<{ events: Envelope[] }>('/events/latest?limit=200')).events;
  let cursor = events.at(-1)?.id;
  let arrived = 0;

  const type = h(
    'select',
    { id: 'f-type', name: 'type' },
    h('option', { value: '' }, 'All types'),
    ...session.types.map((t) => h('option', { value: t.type }, t.type)),
  );
  const onlyBilled = h('input', { id: 'f-billable', type: 'checkbox', name: 'billable' });
  const customer = h('input', { id: 'f-customer', type: 'search', name: 'customer', placeholder: 'customer or anonymous id', autocomplete: 'off' });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const rows = h('tbody');
  const list = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Latest events' },
    h(
      'table',
      { 'data-table': 'live' },
      h('caption', {}, 'Latest events, newest first'),
      h('thead', {}, h('tr', {}, ...['When (UTC)', 'Type', 'Billed', 'Customer', 'Details'].map((t) => h('th', { scope: 'col' }, t)))),
      rows,
    ),
  );
  const none = empty('No events match. Events appear here within seconds of the store sending them; widen the filters or browse the store.');

  const draw = () => {
    const who = customer.value.trim();
    const shown: Envelope[] = [];
    for (let i = events.length - 1; i >= 0 && shown.length < ROWS; i--) {
      const e = events[i]!;
      if (type.value && e.type !== type.value) continue;
      if (onlyBilled.checked && !billable.get(e.type)) continue;
      if (who && e.customerId !== who && e.anonymousId !== who) continue;
      shown.push(e);
    }
    rows.replaceChildren(
      ...shown.map((e) =>
        h(
          'tr',
          { 'data-id': e.id },
          h('td', { class: 'nowrap' }, stamp(e.createdAt)),
          h('td', {}, h('code', {}, e.type)),
          h('td', {}, billable.get(e.type) ? 'billed' : 'free'),
          h('td', { class: 'ellipsis' }, e.customerId ?? h('span', { class: 'muted' }, e.anonymousId.slice(0, 12))),
          h('td', { class: 'ellipsis' }, summary(e)),
        ),
      ),
    );
    list.hidden = !shown.length;
    none.hidden = !!shown.length;
    status.textContent = `${num(shown.length)} shown of ${num(events.length)} recent events · ${num(arrived)} arrived since you opened this page · updated every 2 s`;
  };

  const poll = async () => {
    for (let page = 0; page < PAGES; page++) {
      const path = cursor ? `/events?after=${encodeURIComponent(cursor)}&limit=${PAGE}` : `/events/latest?limit=200`;
      const fresh = (await get<{ events: Envelope[] }>(path)).events;
      if (!fresh.length) break;
      cursor = fresh.at(-1)!.id;
      arrived += fresh.length;
      events = events.concat(fresh).slice(-BUFFER);
      if (fresh.length < PAGE) break;
    }
    requestAnimationFrame(draw);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await poll();
    } catch (error) {
      status.textContent = `Could not read new events: ${(error as Error).message}. Trying again.`;
    }
    if (!stopped) timer = setTimeout(tick, EVERY_MS);
  };
  for (const control of [type, onlyBilled, customer]) control.addEventListener('input', draw);

  main.replaceChildren(
    h('h1', {}, 'Right now'),
    h(
      'form',
      { class: 'filters card', role: 'search', 'aria-label': 'Filter events', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'f-type' }, 'Type'),
      type,
      h('label', { class: 'check', for: 'f-billable' }, onlyBilled, ' Billed only'),
      h('label', { for: 'f-customer' }, 'Customer'),
      customer,
    ),
    status,
    list,
    none,
  );
  draw();
  timer = setTimeout(tick, EVERY_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
