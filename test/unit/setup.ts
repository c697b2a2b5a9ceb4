// Every unit test gets a fresh, empty IndexedDB and localStorage, in a browser that is not
// automated: happy-dom says navigator.webdriver is true, where the tracker sends nothing
// (src/automation.ts); test/unit/automation.test.ts sets it back for its own tests.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
  Object.defineProperty(navigator, 'webdriver', { value: false, configurable: true });
});
