// src/consent-platforms/purposes.ts: analytics decides the tracker's consent; without marketing,
// identify is dropped and events lose their customerId and ad click ids (the shared context is copied).
import { describe, expect, it } from 'vitest';
import { lookup } from '../../../src/catalog';
import { applyPurposes } from '../../../src/consent-platforms/purposes';
import type { Envelope } from '../../../src/envelope';
import type { Core, Guard } from '../../../src/plugin';
import { makeEvent } from '../support/events';

const fake = () => {
  const guards: Guard[] = [];
  const decisions: string[] = [];
  const core = { guard: (g: Guard) => (guards.push(g), () => {}), consent: (s: string) => decisions.push(s) } as unknown as Core;
  return { core, guards, decisions };
};

describe('purposes', () => {
  it('without marketing: no identify, no customerId, no click ids; with it, all', () => {
    const { core, guards, decisions } = fake();
    const { report } = applyPurposes(core);
    const guard = guards[0]!;
    const context = {
      page: { url: 'https://shop.test/', path: '/', title: '', referrer: '' },
      utm: { source: 'g', gclid: 'abc' },
      library: { name: 'shoptrail', version: 't' },
    };
    const event = { ...makeEvent('search', { query: 'tea' }), customerId: 'c-1', context } as unknown as Envelope;
    expect(guard(event, lookup('search')!)).toBeUndefined();
    expect(event.customerId).toBeUndefined();
    expect(event.context.utm).toEqual({ source: 'g' });
    expect(context.utm).toEqual({ source: 'g', gclid: 'abc' }); // the shared context is untouched
    expect(guard(makeEvent('entity-identified', { customerId: 'c-1' }), lookup('entity-identified')!)).toBe('consent-marketing');

    report({ analytics: true, marketing: true });
    expect(decisions).toEqual(['granted']);
    const kept = { ...makeEvent('search', { query: 'tea' }), customerId: 'c-1', context } as unknown as Envelope;
    expect(guard(kept, lookup('search')!)).toBeUndefined();
    expect(kept.customerId).toBe('c-1');
    report({ analytics: false });
    expect(decisions).toEqual(['granted', 'denied']);
  });
});
