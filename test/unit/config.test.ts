import { describe, expect, it } from 'vitest';
import { defaults, optionsFromAttributes, resolveConfig } from '../../src/config';

describe('resolveConfig', () => {
  it('starts from the defaults', () => {
    expect(resolveConfig(undefined)).toEqual(defaults);
    expect(defaults.entity).toBe('-');
  });

  it('takes valid options, clamps bounds and trims the endpoint', () => {
    const config = resolveConfig({ endpoint: 'https://c.example/', writeKey: 'pk', flushAt: 100000, flushInterval: 1 });
    expect(config.endpoint).toBe('https://c.example');
    expect(config.flushAt).toBe(500);
    expect(config.flushInterval).toBe(250);
  });

  it('ignores wrongly typed values with a warning instead of throwing', () => {
    const warnings: string[] = [];
    const config = resolveConfig({ flushAt: 'ten', gzip: 'yes', entity: 'bad entity!', maxBatchEvents: NaN }, (m) => warnings.push(m));
    expect(config.flushAt).toBe(defaults.flushAt);
    expect(config.gzip).toBe(true);
    expect(config.entity).toBe('-');
    expect(config.maxBatchEvents).toBe(defaults.maxBatchEvents);
    expect(warnings).toEqual([
      'option "flushAt" must be a number',
      'option "gzip" must be a boolean',
      'option "maxBatchEvents" must be a number',
      'entity "bad entity!" is not a valid name; using "-"',
    ]);
  });

  it('leaves keys it does not know to other modules, also names of Object.prototype', () => {
    const warnings: string[] = [];
    const config = resolveConfig({ captureForms: false, consentBanner: 'off', toString: 1, constructor: 'x' }, (m) => warnings.push(m));
    expect(config).toEqual({ ...defaults, captureForms: false });
    expect(warnings).toEqual([]);
  });

  it('survives options that are not an object', () => {
    const warnings: string[] = [];
    expect(resolveConfig('oops', (m) => warnings.push(m))).toEqual(defaults);
    expect(warnings).toEqual(['options must be an object, got string']);
  });
});

describe('optionsFromAttributes', () => {
  it('reads data-* attributes, parses numbers and booleans and passes other attributes through', () => {
    const el = document.createElement('script');
    el.setAttribute('data-endpoint', 'https://c.example');
    el.setAttribute('data-write-key', 'pk_live_1');
    el.setAttribute('data-flush-at', '5');
    el.setAttribute('data-require-consent', '');
    el.setAttribute('data-gzip', 'off');
    el.setAttribute('data-max-batch-events', 'many');
    el.setAttribute('data-consent-banner', 'off'); // a key config.ts does not know stays a string
    expect(optionsFromAttributes(el)).toEqual({
      endpoint: 'https://c.example',
      writeKey: 'pk_live_1',
      flushAt: 5,
      requireConsent: true,
      gzip: false,
      consentBanner: 'off',
    });
  });
});
