// The demo storefront's server routes (cart, checkout, account …), mounted by demo/server.ts
// on the storefront's origin next to the static pages of demo/public.
import { Hono } from 'hono';

export interface StorefrontOptions {
  /** Base URL of the collector, as the tracker's data-endpoint. */
  collectorUrl: string;
  writeKey: string;
  entity: string;
}

export const createStorefront = (_options: StorefrontOptions): Hono => new Hono();
