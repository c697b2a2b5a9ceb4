// The config file: every mistake stops the start with a message naming the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hidePassword, loadConfig, parseConfig } from '../../src/collector/config';

const entity = (over: Record<string, unknown> = {}) => ({ entity: 'shop', writeKeys: ['pk_shop'], ...over });
const two = (a: Record<string, unknown>, b: Record<string, unknown>) => ({
  entities: [entity(a), { entity: 'other', writeKeys: ['pk_other'], ...b }],
});

describe('collector config', () => {
  it('fills defaults and keeps the existing fields', () => {
    const config = parseConfig({ entities: [entity({ allowedOrigins: ['https://shop.test'], adminKeyEnv: 'ADMIN' })] }, {});
    expect(config).toEqual({
      entities: [
        {
          entity: 'shop',
          writeKeys: ['pk_shop'],
          allowedOrigins: ['https://shop.test'],
          adminKeyEnv: 'ADMIN',
          allowance: 10_000,
          cycleStartDay: 1,
          timeZone: 'UTC',
        },
      ],
      rateLimit: { perSecond: 50, burst: 100, eventsPerSecond: 1000, eventsBurst: 10_000, bytesPerSecond: 2_097_152, bytesBurst: 8_388_608 },
    });
    expect(config.store).toBeUndefined();
  });

  it('accepts postgres and sqlite stores at the top and per entity', () => {
    const config = parseConfig({ store: 'sqlite:data/shoptrail.db', ...two({ store: 'postgres://u:p@db1/shop' }, { store: 'postgresql://db2:5433/other' }) }, {});
    expect(config.store).toBe('sqlite:data/shoptrail.db');
    expect(config.entities.map((e) => e.store)).toEqual(['postgres://u:p@db1/shop', 'postgresql://db2:5433/other']);
    expect(parseConfig({ store: 'sqlite::memory:', entities: [entity()] }, {}).store).toBe('sqlite::memory:');
  });

  it('reads store URLs from the environment variables the file names', () => {
    const env = { DATABASE_URL: 'postgres://u:secret@db/main', SHOP_DB: 'sqlite:/var/lib/shop.db' };
    const config = parseConfig({ storeEnv: 'DATABASE_URL', entities: [entity({ storeEnv: 'SHOP_DB' })] }, env);
    expect(config.store).toBe('postgres://u:secret@db/main');
    expect(config.entities[0]!.store).toBe('sqlite:/var/lib/shop.db');
  });

  const rejects: Array<[string, unknown, string, NodeJS.ProcessEnv?]> = [
    ['a bad store URL', two({}, { store: 'mysql://x' }), 'collector config: entities[1].store: "mysql://x" is not a postgres:// or sqlite: URL'],
    ['a sqlite URL without a file', { store: 'sqlite:', entities: [entity()] }, 'collector config: store: "sqlite:" names no file'],
    [
      'an unset store variable',
      { entities: [entity({ storeEnv: 'DATABASE_URL' })] },
      'collector config: entities[0].storeEnv: environment variable DATABASE_URL is not set',
    ],
    [
      'a bad URL in a variable, password hidden',
      { storeEnv: 'DB', entities: [entity()] },
      'storeEnv: environment variable DB = "http://u:***@x/" is not a postgres:// or sqlite: URL',
      { DB: 'http://u:hunter2@x/' },
    ],
    [
      'store and storeEnv together',
      { store: 'sqlite::memory:', storeEnv: 'DB', entities: [entity()] },
      'collector config: storeEnv: give "store" or "storeEnv", not both',
      { DB: 'sqlite:x' },
    ],
    ['duplicate entity names', two({}, { entity: 'shop' }), 'collector config: entities[1].entity: "shop" is already the name of entities[0]'],
    [
      'a write key in two entities',
      two({}, { writeKeys: ['pk_other', 'pk_shop'] }),
      'collector config: entities[1].writeKeys: "pk_shop" is already a write key of entities[0]',
    ],
    ['an admin key in two entities', two({ adminKey: 'sk' }, { adminKey: 'sk' }), 'collector config: entities[1].adminKey: is already the admin key of entities[0]'],
    ['a fractional allowance', { entities: [entity({ allowance: 1.5 })] }, 'collector config: entities[0].allowance: must be a positive integer, got 1.5'],
    ['a zero allowance', { entities: [entity({ allowance: 0 })] }, 'entities[0].allowance: must be a positive integer, got 0'],
    ['an allowance as a string', { entities: [entity({ allowance: '100' })] }, 'entities[0].allowance: must be a positive integer, got "100"'],
    ['a negative rate', { entities: [entity()], rateLimit: { perSecond: -1 } }, 'collector config: rateLimit.perSecond: must be a positive number, got -1'],
    [
      'a zero events rate',
      { entities: [entity()], rateLimit: { eventsPerSecond: 0 } },
      'collector config: rateLimit.eventsPerSecond: must be a positive number, got 0',
    ],
    [
      'an events burst below one batch',
      { entities: [entity()], rateLimit: { eventsBurst: 100 } },
      'collector config: rateLimit.eventsBurst: must be at least 500 (one full batch), got 100',
    ],
    [
      'a bytes burst below one batch',
      { entities: [entity()], rateLimit: { bytesBurst: 1000 } },
      'collector config: rateLimit.bytesBurst: must be at least 65536 (one full batch), got 1000',
    ],
    [
      'a text bytes rate',
      { entities: [entity()], rateLimit: { bytesPerSecond: '1MB' } },
      'collector config: rateLimit.bytesPerSecond: must be a positive number, got "1MB"',
    ],
    ['a zero burst', { entities: [entity()], rateLimit: { perSecond: 5, burst: 0 } }, 'rateLimit.burst: must be a positive number, got 0'],
    [
      'an unknown top-level key',
      { entities: [entity()], stores: 'x' },
      'collector config: unknown key "stores" (known: $schema, entities, rateLimit, store, storeEnv)',
    ],
    ['an unknown entity key', { entities: [entity({ alowance: 5 })] }, 'collector config: entities[0]: unknown key "alowance"'],
    ['no entities', { entities: [] }, 'collector config: entities: must be a non-empty array'],
    ['a config that is not an object', [], 'collector config: must be a JSON object'],
    ['an entity without write keys', { entities: [entity({ writeKeys: [] })] }, 'entities[0].writeKeys: must hold at least one key'],
    ['a bad cycle day', { entities: [entity({ cycleStartDay: 32 })] }, 'entities[0].cycleStartDay: must be an integer 1–31, got 32'],
    ['a bad time zone', { entities: [entity({ timeZone: 'Mars/Olympus' })] }, 'entities[0].timeZone: "Mars/Olympus" is not a time zone'],
    ['an empty admin key', { entities: [entity({ adminKey: '' })] }, 'entities[0].adminKey: must be a non-empty string'],
  ];
  it.each(rejects)('rejects %s, naming the field', (_, raw, message, env = {}) => {
    expect(() => parseConfig(raw, env)).toThrow(message);
  });

  it('never prints a password it was given', () => {
    expect(hidePassword('postgres://app:s3cret@db:5432/shop')).toBe('postgres://app:***@db:5432/shop');
    expect(hidePassword('sqlite:data/x.db')).toBe('sqlite:data/x.db');
  });

  describe('loadConfig', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoptrail-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names a missing file, a file that is not JSON and a bad field', () => {
      expect(() => loadConfig(join(dir, 'nope.json'))).toThrow(`collector config: cannot read ${join(dir, 'nope.json')}: no such file`);
      writeFileSync(join(dir, 'bad.json'), '{ "entities": [ }');
      expect(() => loadConfig(join(dir, 'bad.json'))).toThrow(/collector config: .*bad\.json is not valid JSON/);
      writeFileSync(join(dir, 'field.json'), JSON.stringify({ entities: [entity({ store: 'redis://x' })] }));
      expect(() => loadConfig(join(dir, 'field.json'), {})).toThrow('entities[0].store: "redis://x" is not a postgres:// or sqlite: URL');
    });

    it('loads the demo config', () => {
      const config = loadConfig(join(import.meta.dirname, '../../demo/config/collector.json'), {});
      expect(config.entities[0]!.entity).toBe('demo');
    });
  });
});
