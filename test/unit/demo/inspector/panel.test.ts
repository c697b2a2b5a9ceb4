import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPanel, type PanelActions } from '../../../../demo/storefront/client/inspector/panel';
import { initialState, reduce } from '../../../../demo/storefront/client/inspector/state';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const actions = (): PanelActions & { [K in keyof PanelActions]: ReturnType<typeof vi.fn> } =>
  ({ flush: vi.fn(), consent: vi.fn(), clear: vi.fn(), opened: vi.fn() }) as never;

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
  delete (window as { __pwned?: unknown }).__pwned;
});

const panelElement = () => document.getElementById('shoptrail-inspector')!;

describe('inspector panel', () => {
  it('shows hostile event data as text and creates no element from it', async () => {
    localStorage.setItem('shoptrail-inspector.open', '1');
    const panel = createPanel(actions());
    let state = reduce(initialState(), { kind: 'queued', at: 1, event: { id: 'e1', type: HOSTILE, body: { name: HOSTILE } } });
    state = reduce(state, { kind: 'rejected', at: 2, event: { id: 'e1', type: HOSTILE }, error: HOSTILE });
    state = reduce(state, { kind: 'error', at: 3, code: 'x', message: HOSTILE });
    panel.render(state, true);
    await vi.waitFor(() => expect(panelElement().querySelector('[data-qa-event]')).not.toBeNull());
    const root = panelElement();
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain(HOSTILE);
    expect(root.querySelector('pre')!.textContent).toContain('"name": "<img src=x onerror=\\"window.__pwned=1\\">"');
    expect(root.querySelector('[data-qa-event]')!.getAttribute('data-qa-event')).toBe(HOSTILE);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('opens and closes from the toggle, remembers it, and marks itself ignored by the tracker', async () => {
    const act = actions();
    createPanel(act);
    const toggle = document.querySelector<HTMLButtonElement>('.stqa-toggle')!;
    expect(panelElement().hidden).toBe(true);
    expect(panelElement().hasAttribute('data-shoptrail-ignore')).toBe(true);
    expect(toggle.hasAttribute('data-shoptrail-ignore')).toBe(true);
    toggle.click();
    expect(panelElement().hidden).toBe(false);
    expect(localStorage.getItem('shoptrail-inspector.open')).toBe('1');
    expect(act.opened).toHaveBeenCalledTimes(1);
    document.querySelector<HTMLButtonElement>('[data-qa-action=close]')!.click();
    expect(panelElement().hidden).toBe(true);
    expect(localStorage.getItem('shoptrail-inspector.open')).toBe('0');
  });

  it('wires flush, consent and clear buttons to their actions', () => {
    const act = actions();
    createPanel(act);
    const click = (name: string) => document.querySelector<HTMLButtonElement>(`[data-qa-action=${name}]`)!.click();
    click('flush');
    click('grant');
    click('deny');
    click('clear');
    expect(act.flush).toHaveBeenCalledTimes(1);
    expect(act.consent.mock.calls).toEqual([['granted'], ['denied']]);
    expect(act.clear).toHaveBeenCalledTimes(1);
  });

  it('draws queue, consent, batches, account and ledger, and counts events on the toggle', async () => {
    localStorage.setItem('shoptrail-inspector.open', '1');
    const panel = createPanel(actions());
    let state = reduce(initialState(), { kind: 'queue', at: 1, size: 3, storage: 'memory' });
    state = reduce(state, { kind: 'consent', at: 1, state: 'pending' });
    state = reduce(state, { kind: 'queued', at: 1, event: { id: 'a', type: 'search', body: { query: 'tea' } } });
    state = reduce(state, {
      kind: 'batch',
      at: 2,
      report: { batchId: 'b', ids: ['a'], bytes: 300, wireBytes: 300, encoding: 'identity', transport: 'fetch', status: 503, outcome: 'retry', retryInMs: 1000 },
    });
    state = reduce(state, { kind: 'usage', at: 2, account: { used: 10, allowance: 100 } });
    state = reduce(state, { kind: 'report', at: 2, report: { activities: { pending: 1, accepted: 0, rejected: 0, dropped: 0 }, drops: { duplicate: 2 } } });
    panel.render(state, false);
    await vi.waitFor(() => expect(panelElement().querySelector('[data-qa=queue]')).not.toBeNull());
    const text = (qa: string) => panelElement().querySelector(`[data-qa=${qa}]`)!.textContent;
    expect(text('tracker')).toBe('tracker: loading…');
    expect(text('queue')).toBe('queue: 3 (memory)');
    expect(text('consent')).toBe('consent: pending');
    expect(text('batches')).toContain('HTTP 503 · retry · 1 event · 300 B → 300 B identity · fetch · retry in 1.0 s');
    expect(text('account')).toContain('10 of 100 activities (10.0%)');
    expect(panelElement().textContent).toContain('dropped: duplicate');
    expect(panelElement().querySelector('[data-qa-status=retrying]')).not.toBeNull();
    expect(document.querySelector('.stqa-toggle')!.textContent).toBe('QA · 1');
  });
});
