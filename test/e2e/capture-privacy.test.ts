// Privacy end to end: a shopper types a password, a card number, an expiry, a CVC, an IBAN and
// a note, pages hold hidden tokens; the forms are really submitted. Every request body that
// leaves the browser (fetch, keepalive, beacon; gzip or not) is kept and searched: none of
// those values appears, while the forms themselves were captured.
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { captured, ofType } from './support/capture';
import { useDemoAndBrowser } from './support/demo';

const env = useDemoAndBrowser();

const SECRETS = {
  password: 'Hunter2-Correct-Horse',
  card: '4242424242424242',
  cardSpaced: '4242 4242 4242 4242',
  expiry: '07/31',
  cvc: '7319',
  iban: 'FR7630006000011234567890189',
  cardByName: '5555555555554444',
  loginToken: 'tok_login_9f8e7d6c5b4a',
  checkoutToken: 'tok_checkout_1a2b3c4d5e6f',
  note: 'leave it behind the blue door',
  email: 'ada.lovelace@example.com',
};

/** Random or measured fields (ids, times, vitals) are left out: a 4-digit CVC could appear in them by chance. */
const NOISE = new Set(['id', 'batchId', 'anonymousId', 'sessionId', 'createdAt', 'sentAt', 'metricId', 'value', 'delta']);
const readable = (raw: Buffer): string => {
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), (key, value) => (NOISE.has(key) ? undefined : value));
  } catch {
    return text;
  }
};

const watch = (page: Page) => {
  const sent: string[] = [];
  page.on('request', (request) => {
    const body = request.postDataBuffer();
    if (body && !request.url().includes('/platforms/privacy/done.html')) sent.push(`${request.url()} ${readable(body)}`);
  });
  return sent;
};

describe('privacy', () => {
  it('never sends the value of a password, card, CVC, expiry, IBAN, hidden or free-text field', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const sent = watch(page);
    // The forms post to a static page: the storefront answers the same page to a GET.
    await page.route(/\/platforms\/privacy\/done\.html$/, (route) => (route.request().method() === 'POST' ? route.continue({ method: 'GET' }) : route.continue()));

    await page.goto(`${env.demo.storeUrl}/platforms/privacy/account.html`);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    await page.$eval('#login-token', (el, value) => ((el as HTMLInputElement).value = value), SECRETS.loginToken);
    await page.type('#CustomerEmail', SECRETS.email);
    await page.type('#CustomerPassword', SECRETS.password);
    await Promise.all([page.waitForURL(/done\.html/), page.click('#login')]);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);

    await page.goto(`${env.demo.storeUrl}/platforms/privacy/payment.html`);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    await page.$eval('#checkout-token', (el, value) => ((el as HTMLInputElement).value = value), SECRETS.checkoutToken);
    await page.type('#cc-name', 'Ada Lovelace');
    await page.type('#cc-number', SECRETS.cardSpaced);
    await page.type('#cc-exp', SECRETS.expiry);
    await page.type('#cvc', SECRETS.cvc);
    await page.type('#card-no-autocomplete', SECRETS.cardByName);
    await page.type('#iban', SECRETS.iban);
    await page.type('#note', SECRETS.note);
    await page.type('#gift', 'Happy birthday');
    await Promise.all([page.waitForURL(/done\.html/), page.click('#pay')]);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);

    const events = await captured(env.demo, page, '/platforms/privacy/', (e) => ofType(e, 'web-form-submitted').length >= 2, 'both forms stored');
    // The forms were captured, by their field names …
    const forms = ofType(events, 'web-form-submitted').map((e) => e.body);
    expect(forms).toEqual([
      {
        formId: 'customer_login',
        action: `${env.demo.storeUrl}/platforms/privacy/done.html`,
        fields: ['form_type', 'utf8', 'authenticity_token', 'customer[email]', 'customer[password]'],
      },
      {
        formId: 'payment-form',
        action: `${env.demo.storeUrl}/platforms/privacy/done.html`,
        fields: ['checkout_token', 'billing_name', 'number', 'exp', 'cvc', 'card_holder_card', 'iban', 'order_note', 'gift_message'],
        values: { gift_message: 'Happy birthday' }, // the one field the store allowed
      },
    ]);
    expect(ofType(events, 'login').map((e) => e.body)).toEqual([{ formId: 'customer_login', method: 'form' }]);

    // … and no secret left the browser, in any request body.
    const everything = sent.join('\n');
    expect(everything).toContain('Happy birthday'); // the scan reads the decoded bodies
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(everything.includes(value), `${name} was sent`).toBe(false);
    }
    await context.close();
  });
});
