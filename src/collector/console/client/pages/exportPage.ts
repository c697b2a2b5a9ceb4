// Export (seed 001): the customer-action NDJSON as a file to download, from a chosen date.
import { h } from '../dom';

const PATH = '/admin/api/export/customer-actions';

export const exportPage = (main: HTMLElement) => {
  const since = h('input', { id: 'since', type: 'date', name: 'since' });
  const download = h(
    'a',
    { class: 'button primary', href: PATH, download: 'customer-actions.ndjson', 'data-link': 'export' },
    'Download customer actions (.ndjson)',
  );
  since.addEventListener('input', () => {
    download.setAttribute('href', since.value ? `${PATH}?since=${since.value}` : PATH);
    download.setAttribute('download', since.value ? `customer-actions-since-${since.value}.ndjson` : 'customer-actions.ndjson');
  });
  main.replaceChildren(
    h('h1', {}, 'Export'),
    h(
      'section',
      { class: 'card' },
      h(
        'p',
        {},
        'Customer actions in the customer-action import schema: one JSON object per line — sign-ups, subscriptions restarted or cancelled, promotions applied — each CREATED the first time it is seen and UPDATED after.',
      ),
      h('div', { class: 'row' }, h('label', { for: 'since' }, 'Updated since (optional)'), since),
      h('p', {}, download),
      h('p', { class: 'hint' }, 'The file is built as it downloads, however many actions there are.'),
    ),
  );
};
