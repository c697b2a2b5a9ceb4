// Profiles (seed 003): search by customer id or email; a profile's attributes, opt-ins,
// segments, merged anonymous ids and timeline; its activity log (seed 002) as log lines, with
// a download.
import { type Envelope, get } from '../api';
import { empty, h, stamp, table } from '../dom';

interface Profile {
  customerId: string;
  email?: string;
  attributes: Record<string, unknown>;
  subscriptions: Record<string, boolean>;
  segments?: string[];
  anonymousIds: string[];
  createdAt: string;
  updatedAt: string;
}

const link = (p: Profile) => h('a', { href: `#/profiles/${encodeURIComponent(p.customerId)}` }, p.customerId);

const list = (profiles: Profile[], caption: string) =>
  table(
    caption,
    [
      ['Customer', 'text'],
      ['Email', 'text'],
      ['Updated', 'text'],
    ],
    profiles.map((p) => [link(p), p.email ?? '—', stamp(p.updatedAt)]),
    {
      'data-table': 'profiles',
    },
  );

export const profilesPage = async (main: HTMLElement, query = '') => {
  const q = h('input', { id: 'q', type: 'search', name: 'q', value: query, placeholder: 'c-1042 or ana@example.com', autocomplete: 'off', required: true });
  const results = h('div', { 'aria-live': 'polite' });
  const search = async (text: string) => {
    const found = (await get<{ profiles: Profile[] }>(`/profiles/search?q=${encodeURIComponent(text)}`)).profiles;
    results.replaceChildren(
      found.length
        ? list(found, `Profiles matching “${text}”`)
        : empty(`No profile matches “${text}”. Search by the whole customer id or email, or their beginning.`),
    );
  };
  main.replaceChildren(
    h('h1', {}, 'Profiles'),
    h(
      'form',
      {
        class: 'card search',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          location.hash = `#/profiles?q=${encodeURIComponent(q.value.trim())}`;
        },
      },
      h('label', { for: 'q' }, 'Customer id or email'),
      q,
      h('button', { type: 'submit' }, 'Search'),
    ),
    results,
  );
  if (query) return search(query);
  const latest = (await get<{ profiles: Profile[] }>('/profiles?limit=20')).profiles;
  results.replaceChildren(
    latest.length ? list(latest, 'Recently updated profiles') : empty('No profiles yet. A profile is created when the store calls identify() for a customer.'),
  );
};

const field = (term: string, value: Node | string) => [h('dt', {}, term), h('dd', {}, value)];

export const profilePage = async (main: HTMLElement, customerId: string) => {
  const id = encodeURIComponent(customerId);
  // Looked up through search, which answers an empty list rather than a 404 the browser would log.
  const profile = (await get<{ profiles: Profile[] }>(`/profiles/search?q=${id}`)).profiles.find((p) => p.customerId === customerId);
  if (!profile) {
    main.replaceChildren(
      h('h1', {}, 'Profile not found'),
      empty(`No customer “${customerId}” in this entity. Search again from Profiles.`),
      h('a', { href: '#/profiles' }, '← Profiles'),
    );
    return;
  }
  const [{ events }, log] = await Promise.all([
    get<{ events: Envelope[] }>(`/customers/${id}/events?limit=200`),
    fetch(`/admin/api/customers/${id}/log`, { credentials: 'same-origin' }).then((r) =>
      r.ok ? r.text() : Promise.reject(new Error(`activity log: HTTP ${r.status}`)),
    ),
  ]);
  const lines = log.split('\n').filter(Boolean);
  const attributes = Object.entries(profile.attributes);
  const optIns = Object.entries(profile.subscriptions);
  const segments = profile.segments ?? [];
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/profiles' }, '← Profiles')),
    h('h1', {}, profile.customerId),
    h(
      'section',
      { class: 'card grid' },
      h(
        'div',
        {},
        h('h2', {}, 'Identity'),
        h(
          'dl',
          { 'data-list': 'identity' },
          ...field('Email', profile.email ?? '—'),
          ...field('Created', stamp(profile.createdAt)),
          ...field('Updated', stamp(profile.updatedAt)),
        ),
      ),
      h(
        'div',
        {},
        h('h2', {}, 'Attributes'),
        attributes.length
          ? h('dl', { 'data-list': 'attributes' }, ...attributes.flatMap(([k, v]) => field(k, String(v))))
          : empty('No attributes. identify() traits fill them.'),
      ),
      h(
        'div',
        {},
        h('h2', {}, 'Opt-ins'),
        optIns.length
          ? h('ul', { 'data-list': 'opt-ins' }, ...optIns.map(([list, on]) => h('li', {}, `${list}: `, h('strong', {}, on ? 'subscribed' : 'unsubscribed'))))
          : empty('No opt-ins.'),
      ),
      h('div', {}, h('h2', {}, 'Segments'), segments.length ? h('ul', { 'data-list': 'segments' }, ...segments.map((s) => h('li', {}, s))) : empty('No segments.')),
      h(
        'div',
        {},
        h('h2', {}, 'Merged anonymous ids'),
        profile.anonymousIds.length ? h('ul', { 'data-list': 'anonymous-ids' }, ...profile.anonymousIds.map((a) => h('li', {}, h('code', {}, a)))) : empty('None.'),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'log-title' },
      h(
        'div',
        { class: 'row' },
        h('h2', { id: 'log-title' }, 'Activity log'),
        lines.length ? h('a', { class: 'button', href: `/admin/api/customers/${id}/log`, download: `${customerId}-activity-log.txt` }, 'Download the log') : null,
      ),
      lines.length
        ? h('ol', { class: 'log', 'data-list': 'log' }, ...lines.map((line) => h('li', {}, h('code', {}, line))))
        : empty('No lifecycle actions (subscription created, paused, cancelled…) for this customer.'),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Timeline'),
      events.length
        ? table(
            `Latest ${events.length} events, newest first`,
            [
              ['When (UTC)', 'text'],
              ['Type', 'text'],
              ['Page', 'text'],
            ],
            events.map((e) => [
              h('span', { class: 'nowrap' }, stamp(e.createdAt)),
              h('code', {}, e.type === 'custom-event' ? `custom-event: ${String(e.body.name)}` : e.type),
              e.context?.page?.path ?? '—',
            ]),
            { 'data-table': 'timeline' },
          )
        : empty('No events for this customer yet.'),
    ),
  );
};
