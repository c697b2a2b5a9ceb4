// The demo storefront in real Chromium: a shopper's walk from the home page to the order
// confirmation, with the QA inspector showing what the tracker delivered, and no page throwing.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const HOSTILE = '<img src=x onerror=window.__pwned=1>'; // no quotes: JSON would escape them

const env = useDemoAndBrowser();
const problems: string[] = [];

const url = (path: string) => new URL(path, env.demo.storeUrl).href;

/** A page whose console errors and uncaught exceptions are collected, but for an `expected` one. */
const openPage = async (expected?: RegExp): Promise<Page> => {
  const page = await env.browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected?.test(message.text())) problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: uncaught: ${error.message}`));
  return page;
};

const dataLayerEvents = (page: Page) =>
  page.evaluate(() => ((window as unknown as { dataLayer: { event?: string }[] }).dataLayer ?? []).map((e) => e.event).filter(Boolean));

describe('demo storefront', () => {
  it('walks home → product → cart → checkout → confirmation, and the inspector shows acknowledged events', async () => {
    const page = await openPage();
    await page.goto(url('/'));
    expect(await page.locator('[data-shoptrail-content-type=banner]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-shoptrail-content-type=recommendation] [data-shoptrail-cart=add]').count()).toBeGreaterThan(0);

    // Product page: JSON-LD Product, variant and quantity reflected on the cart button.
    await page.click('[data-shoptrail-link="hero-yirgacheffe"]');
    await page.waitForURL(/\/products\/ethiopia-yirgacheffe\.html$/);
    const product = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    expect(product).toMatchObject({
      '@type': 'Product',
      sku: 'RC-ETH-250',
      offers: { price: '14.50', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' },
    });
    await page.selectOption('[data-variant-select]', 'ethiopia-yirgacheffe-filter');
    await page.fill('[data-quantity-input]', '2');
    const buy = page.locator('[data-buy-button]');
    expect(await buy.getAttribute('data-shoptrail-variant-id')).toBe('ethiopia-yirgacheffe-filter');
    expect(await buy.getAttribute('data-shoptrail-quantity')).toBe('2');
    await buy.click();
    await waitFor(async () => (await page.locator('[data-cart-count]').textContent()) === '2', { message: 'cart count did not reach 2' });
    expect(await dataLayerEvents(page)).toEqual(expect.arrayContaining(['view_item', 'add_to_cart']));

    // Cart: one more, then checkout.
    await page.click('.cart-link');
    await page.waitForURL(/\/cart\.html$/);
    await page.click('.cart-line button[aria-label^="One more"]');
    await waitFor(async () => (await page.locator('.cart-line output').textContent()) === '3', { message: 'quantity did not reach 3' });
    expect(await page.locator('[data-cart-total]').textContent()).toBe('€43.50');
    await page.click('[data-checkout-link]');
    await page.waitForURL(/\/checkout\.html$/);
    expect(await dataLayerEvents(page)).toContain('begin_checkout');
    for (const [name, value] of Object.entries({
      email: 'ana@example.com',
      name: 'Ana Diaz',
      address: '3 rue Mercière',
      postcode: '69002',
      city: 'Lyon',
      'cc-name': 'Ana Diaz',
      cardnumber: '4242 4242 4242 4242',
      'cc-exp': '12 / 29',
      cvc: '123',
    }))
      await page.fill(`[data-checkout-form] [name="${name}"]`, value);
    await page.click('[data-checkout-form] button[type=submit]');

    // Confirmation: the same order number and JSON-LD on reload, purchase pushed once.
    await page.waitForURL(/\/confirmation\.html\?order=RC-\d{6}$/);
    const number = await page.locator('[data-order-number]').textContent();
    const order = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    expect(order).toMatchObject({ '@type': 'Order', orderNumber: number, price: '43.50', priceCurrency: 'EUR' });
    expect(order.orderedItem[0]).toMatchObject({ orderQuantity: 3, orderedItem: { sku: 'RC-ETH-250' } });
    expect(await dataLayerEvents(page)).toContain('purchase');
    await page.reload();
    expect(await page.locator('[data-order-number]').textContent()).toBe(number);
    expect(await dataLayerEvents(page)).not.toContain('purchase');

    // Inspector: open it, send an event carrying HTML, flush from the panel, see it acknowledged as text.
    await page.click('.stqa-toggle');
    await page.evaluate((html) => {
      (window as unknown as { shoptrail: (...a: unknown[]) => unknown }).shoptrail('track', 'custom-event', { name: 'qa-walk', properties: { note: html } });
    }, HOSTILE);
    await page.click('[data-qa-action=flush]');
    const row = page.locator('[data-qa-event="custom-event"][data-qa-status="acked"]');
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().locator('summary').click();
    expect(await row.first().locator('pre').textContent()).toContain(HOSTILE);
    expect(await page.locator('#shoptrail-inspector img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('[data-qa=batches] [data-qa-outcome=acked]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-qa=queue]').textContent()).toMatch(/queue: \d+ \((indexeddb|memory)\)/);
    const stored = await waitFor(() => storedEvents(env.demo, { type: 'custom-event' }).find((e) => (e.body as { name?: string }).name === 'qa-walk'), {
      message: 'the custom event never reached the database',
    });
    expect((stored.body as { properties: { note: string } }).properties.note).toBe(HOSTILE);

    // The panel stays open across pages.
    await page.goto(url('/'));
    expect(await page.locator('#shoptrail-inspector').isVisible()).toBe(true);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('searches, navigates the journal with pushState and the back button, and keeps forms marked', async () => {
    const page = await openPage();
    await page.goto(url('/'));
    await page.fill('form[role=search] input[type=search]', 'tea');
    await page.press('form[role=search] input[type=search]', 'Enter');
    await page.waitForURL(/\/search\.html\?q=tea$/);
    await waitFor(async () => (await page.locator('[data-search-results] .card').count()) > 0, { message: 'no search results' });
    expect(await dataLayerEvents(page)).toEqual(expect.arrayContaining(['search', 'view_item_list']));

    await page.goto(url('/journal/'));
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.click('[data-shoptrail-link="journal-green-tea-temperature"]');
    await waitFor(() => page.url().endsWith('/journal/?article=green-tea-temperature'), { message: 'pushState did not change the URL' });
    expect(await page.locator('[data-journal-article] h1').textContent()).toBe('Why green tea hates boiling water');
    await page.goBack();
    await waitFor(async () => (await page.locator('[data-journal-article] h1').textContent()) === 'Journal', { message: 'popstate did not restore the index' });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    for (const [path, kind] of [
      ['/account/login.html', 'login'],
      ['/account/register.html', 'register'],
    ] as const) {
      await page.goto(url(path));
      expect(await page.locator(`form[data-shoptrail-form="${kind}"] input[type=password]`).count()).toBe(1);
      expect(await page.locator('footer form[data-shoptrail-form="newsletter"] input[type=email]').count()).toBe(1);
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows a 503 as retrying with its delay, then acknowledged; and a denied consent as dropped with its reason', async () => {
    // Chromium logs the staged 503 itself; nothing else may appear.
    const page = await openPage(/^Failed to load resource: the server responded with a status of 503/);
    await page.goto(url('/category/tea.html'));
    await page.click('.stqa-toggle'); // a new page is a new browser context: the panel starts closed
    expect(await page.locator('#shoptrail-inspector').isVisible()).toBe(true);
    await page.click('[data-qa-action=clear]');
    const track = (name: string) =>
      page.evaluate((n) => (window as unknown as { shoptrail: (...a: unknown[]) => unknown }).shoptrail('track', 'custom-event', { name: n, properties: {} }), name);

    const fault = await fetch(new URL('/v1/admin/faults', env.demo.collectorUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${env.demo.adminKey}` },
      body: JSON.stringify({ status: 503, retryAfter: 1, count: 1 }),
    });
    expect(fault.ok).toBe(true);
    await track('qa-outage');
    await page.click('[data-qa-action=flush]');
    await page.locator('[data-qa=batches] [data-qa-outcome=retry]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-qa=batches] [data-qa-outcome=retry]').first().textContent()).toMatch(/HTTP 503 · retry · .* retry in \d/);
    // The tracker retries by itself after Retry-After; the same row turns acknowledged.
    await page.locator('[data-qa-event="custom-event"][data-qa-status="acked"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-qa-event="custom-event"] summary').first().click();
    expect(await page.locator('[data-qa-event="custom-event"] details').first().textContent()).toMatch(/queued .* → retrying .* → sent .* → acknowledged/);

    await page.click('[data-qa-action=deny]');
    await page.locator('[data-qa=consent]', { hasText: 'consent: denied' }).waitFor();
    await track('qa-after-deny');
    const dropped = page.locator('[data-qa-event="custom-event"][data-qa-status="dropped"]');
    await dropped.first().waitFor();
    expect(await dropped.first().textContent()).toContain('consent-denied');
    await page.click('[data-qa-action=grant]');
    await page.locator('[data-qa=consent]', { hasText: 'consent: granted' }).waitFor();
    await page.close();
    expect(problems).toEqual([]);
  });
});
