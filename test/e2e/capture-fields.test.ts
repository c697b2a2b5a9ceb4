// Allowlisted choice fields in real Chromium: a radio group sends the checked radio, a checkbox
// its value only when checked, a select its chosen option, a multi-select every chosen option
// (comma-joined); password, hidden and card fields are never read, allowlisted or not.
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captured, ofType } from './support/capture';
import { PAGES } from './support/chaos';
import { useDemoAndBrowser } from './support/demo';

const env = useDemoAndBrowser({ extraRoot: PAGES });
let context: BrowserContext;
let page: Page;

beforeEach(async () => {
  context = await env.browser.newContext();
  page = await context.newPage();
});
afterEach(() => context.close());

const open = async (path: string) => {
  await page.goto(env.demo.storeUrl + path);
  await page.waitForFunction(() => (window as any).shoptrail?.loaded);
};

describe('allowlisted choice fields', () => {
  it('sends what the shopper chose on a checkout that really submits, and nothing secret', async () => {
    // The form posts to its own page: the storefront answers that page to a GET.
    await page.route(/checkout-fields\.html\?step=payment$/, (route) =>
      route.request().method() === 'POST' ? route.continue({ method: 'GET' }) : route.continue(),
    );
    await open('/test/checkout-fields.html');
    await page.selectOption('select[name=country]', 'ES');
    await page.check('input[name=delivery][value=express]');
    await page.check('input[name=interests][value=running]');
    await page.check('input[name=interests][value=kids]');
    await page.selectOption('select[name=sizes]', ['42', '44']);
    await page.check('input[name=sms]');
    await page.fill('input[name=email]', 'ada@example.com');
    await page.fill('input[name=password]', 'Hunter2-Correct-Horse');
    await page.fill('input[name=card_number]', '4242 4242 4242 4242');
    await Promise.all([page.waitForURL(/step=payment/), page.click('#continue')]);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);

    const events = await captured(env.demo, page, '/test/checkout-fields', (e) => ofType(e, 'web-form-submitted').length > 0, 'checkout form');
    const forms = ofType(events, 'web-form-submitted').map((e) => e.body);
    expect(forms).toEqual([
      {
        formId: 'checkout',
        action: `${env.demo.storeUrl}/test/checkout-fields.html?step=payment`,
        fields: ['checkout_token', 'email', 'password', 'country', 'delivery', 'wrap', 'interests', 'sizes', 'marketing', 'sms', 'card_number'],
        // no wrap (no radio checked), no marketing (box left empty), no token, password or card
        values: { country: 'ES', delivery: 'express', interests: 'running,kids', sizes: '42,44', sms: 'yes' },
      },
    ]);
  });

  it('sends no opt-in for the demo register form when the marketing box is left empty, and one when it is ticked', async () => {
    const register = async (email: string, marketing: boolean) => {
      await open('/account/register.html');
      await page.fill('input[name=firstName]', 'Ada');
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', 'long-enough-pw');
      if (marketing) await page.check('input[name=marketing]');
      await page.click('form[data-shoptrail-form=register] button[type=submit]');
    };
    await register('ada@example.com', false);
    let events = await captured(env.demo, page, '/account/register', (e) => ofType(e, 'web-form-submitted').length >= 1, 'register without opt-in');
    expect(ofType(events, 'web-form-submitted').map((e) => e.body.values)).toEqual([undefined]);
    await register('bob@example.com', true);
    events = await captured(env.demo, page, '/account/register', (e) => ofType(e, 'web-form-submitted').length >= 2, 'register with opt-in');
    expect(ofType(events, 'web-form-submitted').map((e) => e.body.values)).toEqual([undefined, { marketing: 'yes' }]);
  });
});
