// Bot traffic at the collector (issue 17 item 1): a page request whose User-Agent isbot knows is
// stored flagged and never billed, or dropped (the entity's `bots`), and GET /v1/usage reports
// bots apart. Requests without an Origin (server to server) and real browsers are not bots.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { isBotRequest } from '../../src/collector/bots';
import { parseConfig } from '../../src/collector/keys';
import { openTestStorage } from './support/engine';
import { ADMIN_KEY, batch, event, ORIGIN, post, read, testCollector, WRITE_KEY } from './support/app';
import { createCollector } from '../../src/collector/app';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let collector: Collector;
afterEach(async () => collector?.close());

const usage = async () => ((await (await read(collector, '/v1/usage')).json()) as { usage: { used: number; bots: { flagged: number; dropped: number } } }).usage;
const stored = async () => ((await (await read(collector, '/v1/events')).json()) as { events: { id: string }[] }).events;
const botColumn = (id: string) => collector.stores.of('shop').report({ sql: 'SELECT bot, billable FROM events WHERE id = ?', params: [id] });

describe('isBotRequest', () => {
  it('classifies pages by User-Agent, never server-to-server requests', () => {
    expect(isBotRequest({ userAgent: GOOGLEBOT, origin: ORIGIN })).toBe(true);
    expect(isBotRequest({ userAgent: HEADLESS, origin: ORIGIN })).toBe(true);
    expect(isBotRequest({ userAgent: CHROME, origin: ORIGIN })).toBe(false);
    expect(isBotRequest({ userAgent: 'node', origin: undefined })).toBe(false); // a back end or a script
    expect(isBotRequest({ userAgent: GOOGLEBOT, origin: ORIGIN, authorization: 'Bearer sk' })).toBe(false);
  });
});

describe('bot events', () => {
  it('are stored flagged and never billed by default; usage reports them apart', async () => {
    collector = testCollector();
    const human = event();
    const bots = [event(), event('search', { query: 'tea' })];
    expect((await post(collector, batch([human]), { headers: { 'User-Agent': CHROME } })).status).toBe(200);
    const reply = await post(collector, batch(bots), { headers: { 'User-Agent': GOOGLEBOT } });
    expect(await reply.json()).toMatchObject({ accepted: 2, bot: 'flag', usage: { used: 1 } });
    expect((await stored()).map((e) => e.id)).toEqual([human.id, ...bots.map((e) => e.id)]);
    expect(await botColumn(bots[0]!.id)).toEqual([[1, 0]]);
    expect(await botColumn(human.id)).toEqual([[0, 1]]);
    expect(await usage()).toMatchObject({ used: 1, bots: { flagged: 2, dropped: 0 } });
    // A retried bot batch is a duplicate: counted once.
    await post(collector, batch(bots), { headers: { 'User-Agent': GOOGLEBOT } });
    expect((await usage()).bots).toEqual({ flagged: 2, dropped: 0 });
  });

  it('are dropped with bots: "drop", counted and acknowledged', async () => {
    const config = parseConfig({
      entities: [{ entity: 'shop', writeKeys: [WRITE_KEY], allowedOrigins: [ORIGIN], adminKey: ADMIN_KEY, allowance: 100, bots: 'drop' }],
    });
    collector = createCollector({ config, log: false, openStorage: openTestStorage });
    const reply = await post(collector, batch([event(), event()]), { headers: { 'User-Agent': HEADLESS } });
    expect(reply.status).toBe(200); // acknowledged: the tracker must not send them again
    expect(await reply.json()).toMatchObject({ accepted: 0, bot: 'drop', usage: { used: 0 } });
    expect(await stored()).toEqual([]);
    expect(await usage()).toMatchObject({ used: 0, bots: { flagged: 0, dropped: 2 } });
  });

  it('refuses a bots setting it does not know', () => {
    expect(() => parseConfig({ entities: [{ entity: 'shop', writeKeys: [WRITE_KEY], bots: 'block' }] })).toThrow(/bots.*"flag" or "drop"/);
  });
});
