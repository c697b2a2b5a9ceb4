// Reports (seed 004): a builder of measures grouped by dimensions over one source, saved
// reports (listed, reopened, deleted), a CSV download. The rule for the source: a report reads
// either one event type, or the custom events of one name — custom events are always chosen
// by their name. An error clears the previous result, so a stale table is never taken as the answer.
import { get, send, type Session } from '../api';
import { barChart, clearCharts } from '../chart';
import { empty, h, num, stamp, table } from '../dom';

type Cell = string | number | boolean | null;
interface Report {
  columns: Array<{ name: string; kind: 'dimension' | 'measure' }>;
  rows: Cell[][];
}
interface Spec {
  source: { type: string } | { customEvent: string };
  dimensions: string[];
  measures: string[];
  from?: string;
  to?: string;
}
interface Saved {
  id: string;
  name: string;
  spec: Spec;
  updatedAt: string;
}

const DIMENSIONS = ['day', 'week', 'month', 'utm.source', 'utm.medium', 'utm.campaign', 'contact.email', 'body.currency', 'properties.months'];
const MEASURES = ['count', 'distinctContacts', 'sum:value', 'avg:value', 'avg:months'];
const CUSTOM_NAMES = ['created_subscription', 'pause_subscription', 'enable_grace_subscription', 'restart_subscription', 'cancel_subscription'];

/** RFC 4180: quote every field that needs it, double the quotes. */
const csv = (report: Report) =>
  [report.columns.map((c) => c.name), ...report.rows]
    .map((row) => row.map((v) => (v === null ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(','))
    .join('\r\n') + '\r\n';

const sourceLabel = (spec: Spec) => ('customEvent' in spec.source ? `custom event “${spec.source.customEvent}”` : spec.source.type);

export const reportsPage = async (main: HTMLElement, session: Session) => {
  const types = session.types.map((t) => t.type).filter((t) => t !== 'custom-event');
  const byType = h('input', { type: 'radio', name: 'source', id: 'src-type', value: 'type', checked: true });
  const byName = h('input', { type: 'radio', name: 'source', id: 'src-custom', value: 'custom' });
  const type = h('select', { id: 'type', name: 'type' }, ...types.map((t) => h('option', { value: t, selected: t === 'purchase' }, t)));
  const custom = h('input', { id: 'custom', name: 'custom', list: 'custom-names', placeholder: 'cancel_subscription', autocomplete: 'off', disabled: true });
  const syncSource = () => {
    type.disabled = !byType.checked;
    custom.disabled = !byName.checked;
  };
  byType.addEventListener('change', syncSource);
  byName.addEventListener('change', syncSource);
  const dims = [0, 1, 2].map((i) => h('input', { id: `dim-${i}`, list: 'dims', autocomplete: 'off', value: i === 0 ? 'day' : '' }));
  const measures = [0, 1, 2].map((i) => h('input', { id: `measure-${i}`, list: 'measures', autocomplete: 'off', value: i === 0 ? 'count' : '' }));
  const from = h('input', { id: 'from', type: 'date' });
  const to = h('input', { id: 'to', type: 'date' });
  const name = h('input', { id: 'save-name', placeholder: 'Sales by campaign', autocomplete: 'off', maxlength: 100 });
  const error = h('p', { class: 'error', role: 'alert', id: 'report-error' });
  const result = h('div', { id: 'report-result', 'aria-live': 'polite' });
  const saved = h('div', { id: 'saved' });

  const specOf = (): Spec => ({
    source: byName.checked ? { customEvent: custom.value.trim() } : { type: type.value },
    dimensions: dims.map((d) => d.value.trim()).filter(Boolean),
    measures: measures.map((m) => m.value.trim()).filter(Boolean),
    ...(from.value ? { from: from.value } : {}),
    ...(to.value ? { to: to.value } : {}),
  });
  const fill = (spec: Spec) => {
    byName.checked = 'customEvent' in spec.source;
    byType.checked = !byName.checked;
    if ('customEvent' in spec.source) custom.value = spec.source.customEvent;
    else type.value = spec.source.type;
    dims.forEach((d, i) => (d.value = spec.dimensions[i] ?? ''));
    measures.forEach((m, i) => (m.value = spec.measures[i] ?? ''));
    from.value = spec.from ?? '';
    to.value = spec.to ?? '';
    syncSource();
  };

  const show = (report: Report, spec: Spec) => {
    const m = report.columns.findIndex((c) => c.kind === 'measure');
    const labels = report.rows.map(
      (r) =>
        r
          .slice(0, m)
          .map((v) => v ?? '(none)')
          .join(' · ') || 'all',
    );
    const file = URL.createObjectURL(new Blob([csv(report)], { type: 'text/csv' }));
    result.replaceChildren(
      h(
        'div',
        { class: 'row' },
        h('h2', {}, `${sourceLabel(spec)}: ${num(report.rows.length)} rows`),
        h('a', { class: 'button', href: file, download: 'report.csv', 'data-link': 'csv' }, 'Download CSV'),
      ),
      report.rows.length
        ? table(
            'Report',
            report.columns.map((c) => [c.name, c.kind === 'measure' ? 'num' : 'text'] as [string, 'num' | 'text']),
            report.rows.map((r) =>
              r.map((v, i) => (report.columns[i]!.kind === 'measure' ? (typeof v === 'number' ? num(Math.round(v * 100) / 100) : '—') : (v ?? '(none)')) as string),
            ),
            { 'data-table': 'report' },
          )
        : empty('No events match this report. Widen the dates or choose another source.'),
      report.rows.length && m >= 0
        ? barChart({
            name: 'report',
            title: `${report.columns[m]!.name} by ${
              report.columns
                .slice(0, m)
                .map((c) => c.name)
                .join(', ') || 'all'
            }`,
            x: labels,
            series: [{ label: report.columns[m]!.name, values: report.rows.map((r) => (typeof r[m] === 'number' ? (r[m] as number) : null)) }],
          })
        : '',
    );
  };

  const run = async () => {
    // Clear first: an error must never leave the previous table or chart on screen.
    clearCharts();
    result.replaceChildren(h('p', { class: 'hint' }, 'Running…'));
    error.textContent = '';
    const spec = specOf();
    try {
      const { report } = await send<{ report: Report }>('/reports', 'POST', spec);
      show(report, spec);
    } catch (e) {
      result.replaceChildren();
      error.textContent = `The report could not run: ${(e as Error).message}`;
    }
  };

  const loadSaved = async () => {
    const { reports } = await get<{ reports: Saved[] }>('/reports/saved');
    saved.replaceChildren(
      reports.length
        ? table(
            'Saved reports',
            [
              ['Name', 'text'],
              ['Source', 'text'],
              ['Saved', 'text'],
              ['', 'text'],
            ],
            reports.map((r) => [
              r.name,
              sourceLabel(r.spec),
              stamp(r.updatedAt),
              h(
                'span',
                { class: 'actions' },
                h('button', { type: 'button', 'aria-label': `Open ${r.name}`, onclick: () => (fill(r.spec), (name.value = r.name), run()) }, 'Open'),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'aria-label': `Delete ${r.name}`,
                    onclick: async () => {
                      if (!confirm(`Delete the saved report “${r.name}”?`)) return;
                      await send(`/reports/saved/${encodeURIComponent(r.id)}`, 'DELETE');
                      await loadSaved();
                    },
                  },
                  'Delete',
                ),
              ),
            ]),
            { 'data-table': 'saved' },
          )
        : empty('No saved reports. Build one above, give it a name and save it.'),
    );
  };

  const save = async () => {
    error.textContent = '';
    try {
      await send('/reports/saved', 'POST', { name: name.value.trim(), spec: specOf() });
      await loadSaved();
    } catch (e) {
      error.textContent = `The report could not be saved: ${(e as Error).message}`;
    }
  };

  const labelled = (label: string, input: HTMLElement) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  main.replaceChildren(
    h('h1', {}, 'Reports'),
    h(
      'form',
      { class: 'card builder', onsubmit: (e: Event) => (e.preventDefault(), run()) },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Source'),
        h('p', { class: 'hint' }, 'A report reads one event type, or the custom events of one name (custom events are always chosen by name).'),
        h('div', { class: 'row' }, byType, h('label', { for: 'src-type' }, 'Event type'), type),
        h('div', { class: 'row' }, byName, h('label', { for: 'src-custom' }, 'Custom event name'), custom),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Dimensions (up to 3)'),
        h('div', { class: 'fields' }, ...dims.map((d, i) => labelled(`Dimension ${i + 1}`, d))),
        h(
          'p',
          { class: 'hint' },
          'day, week, month; utm.campaign…; event properties as body.x (properties.x for custom events); profile attributes as contact.x (identified contacts only).',
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Measures'),
        h('div', { class: 'fields' }, ...measures.map((m, i) => labelled(`Measure ${i + 1}`, m))),
        h('p', { class: 'hint' }, 'count, distinctContacts, sum:x, avg:x.'),
      ),
      h('fieldset', {}, h('legend', {}, 'Dates (optional)'), h('div', { class: 'fields' }, labelled('From', from), labelled('Before', to))),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'primary' }, 'Run the report'),
        labelled('Save as', name),
        h('button', { type: 'button', onclick: save }, 'Save'),
      ),
      h('datalist', { id: 'dims' }, ...DIMENSIONS.map((d) => h('option', { value: d }))),
      h('datalist', { id: 'measures' }, ...MEASURES.map((d) => h('option', { value: d }))),
      h('datalist', { id: 'custom-names' }, ...CUSTOM_NAMES.map((d) => h('option', { value: d }))),
    ),
    error,
    h('section', { class: 'card' }, result),
    h('section', { class: 'card' }, h('h2', {}, 'Saved reports'), saved),
  );
  result.replaceChildren(empty('Choose a source, dimensions and measures, then run the report. Running reports is free: it bills nothing.'));
  await loadSaved();
};
