// The contract suite runs once per engine: this checks the run really uses the engine it names.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { batch, event, post, testCollector } from './support/app';
import { ENGINE } from './support/engine';

let collector: Collector;
afterEach(() => collector?.close());

describe(`the ${ENGINE} engine`, () => {
  it("stores this run's batches", async () => {
    collector = testCollector();
    expect(collector.storages.map((s) => s.engine)).toEqual([ENGINE]);
    expect(collector.storages[0]!.name).toMatch(ENGINE === 'postgres' ? /^postgres:\/\/.*127\.0\.0\.1/ : /^sqlite:/);
    expect((await post(collector, batch([event()]))).status).toBe(200);
    await expect(collector.storages[0]!.ping()).resolves.toBeUndefined();
  });
});
