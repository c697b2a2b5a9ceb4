// The collector behind a real socket (startDemo): clients that hang up mid-body, and a
// database that keeps what was stored across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../demo/server';
import { batch, event } from './support/app';

const dir = mkdtempSync(join(tmpdir(), 'shoptrail-collector-'));
const dbPath = join(dir, 'shoptrail.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demoEvent = () => event('web-page-visited', undefined, { entity: 'demo' });
const send = (demo: Demo, events: unknown[]) =>
  fetch(`${demo.collectorUrl}/v1/batch`, {
    method: 'POST',
    body: JSON.stringify(batch(events, demo.writeKey)),
    headers: { 'Content-Type': 'text/plain', Origin: demo.storeUrl },
  });
const count = async (demo: Demo) =>
  ((await (await fetch(`${demo.collectorUrl}/v1/events`, { headers: { Authorization: `Bearer ${demo.adminKey}` } })).json()) as { events: unknown[] }).events.length;

/** Start a request, send part of its body, hang up. */
const hangUp = (port: number, chunked: boolean) =>
  new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const length = chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 5000';
      socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n${length}\r\n\r\n${chunked ? '10\r\n' : ''}{"writeKey":"pk_`);
      setTimeout(() => socket.destroy(), 10);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });

describe('collector server', () => {
  it('shrugs off clients that hang up mid-body and keeps what it stored across a restart', async () => {
    const demo = await startDemo({ port: 0, dbPath, quiet: true });
    expect(demo.storeUrl).not.toBe(demo.collectorUrl);
    expect((await send(demo, [demoEvent(), demoEvent()])).status).toBe(200);
    const port = Number(new URL(demo.collectorUrl).port);
    for (let i = 0; i < 10; i++) await hangUp(port, i % 2 === 1);
    expect((await send(demo, [demoEvent()])).status).toBe(200);
    expect(await count(demo)).toBe(3);
    await demo.close();

    const again = await startDemo({ port: 0, dbPath, quiet: true });
    expect(await count(again)).toBe(3);
    await again.close();
  });

  it('allows the storefront origin whatever port it got, and no other', async () => {
    const demo = await startDemo({ port: 0, dbPath, quiet: true });
    const post = (origin: string) =>
      fetch(`${demo.collectorUrl}/v1/batch`, { method: 'POST', body: JSON.stringify(batch([demoEvent()], demo.writeKey)), headers: { Origin: origin } });
    expect((await post(demo.storeUrl)).status).toBe(200);
    expect((await post(demo.storeUrl.replace('127.0.0.1', 'localhost'))).status).toBe(200);
    expect((await post('http://127.0.0.1:1')).status).toBe(403);
    await demo.close();
  });
});
