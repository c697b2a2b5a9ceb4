// A subscriber's story in Chromium: lands from a campaign, creates an account, subscribes,
// takes a two-month break, tries to cancel and accepts a voucher, later cancels. The activity
// log shows exactly those lines; the export holds the matching customer actions and every
// line validates against seed 001's (corrected) schema.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const schema = JSON.parse(readFileSync('src/collector/schemas/wasabi-customer-action.schema.json', 'utf8'));
const ajv = new Ajv({ strict: true, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

const env = useDemoAndBrowser();

const admin = (path: string) => fetch(`${env.demo.collectorUrl}${path}`, { headers: { Authorization: `Bearer ${env.demo.adminKey}` } });

/** Click, then wait until the page says that action's event was handed to the collector. */
const act = async (page: Page, button: string, action: string) => {
  await page.click(button);
  await page.waitForSelector(`#done[data-last="${action}"]`, { timeout: 10_000 });
  await page.evaluate(() => delete (document.getElementById('done') as HTMLElement).dataset.last);
};

describe('subscription lifecycle, end to end', () => {
  it('logs and exports what the subscriber did', async () => {
    const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const dayBefore = today();
    const page = await env.browser.newPage();
    const email = 'ana.e2e@example.com';
    await page.goto(
      `${env.demo.storeUrl}/account/subscription.html?utm_source=newsletter&utm_medium=email&utm_campaign=spring_box&utm_content=hero&utm_term=coffee`,
    );
    await page.fill('#email', email);
    await page.selectOption('#roast', 'dark');
    await act(page, '#create-account', 'created_user');
    const customerId = (await page.textContent('#customer'))!;
    await act(page, '#subscribe', 'created_subscription');
    const subscriptionId = await page.evaluate(() => JSON.parse(localStorage.getItem('demo-subscription')!).subscriptionId as string);
    await page.selectOption('#grace-months', '2');
    await act(page, '#grace', 'enable_grace_subscription');
    await page.click('#cancel-paused');
    await act(page, '#voucher', 'voided_unsub_voucher_subscription');
    await page.click('#cancel-paused');
    await act(page, '#confirm-cancel', 'cancel_subscription');
    expect(await page.textContent('#status')).toBe('cancelled');

    const log = await waitFor(
      async () => {
        const text = await (await admin(`/v1/customers/${encodeURIComponent(customerId)}/log`)).text();
        return text.trim().split('\n').length >= 5 && text;
      },
      { message: 'the activity log never showed five lines' },
    );
    const lines = log.trim().split('\n');
    const day = lines[0]!.slice(0, 10);
    expect([dayBefore, today()]).toContain(day);
    expect(lines).toEqual([
      `${day} created_user ${customerId} ${email}`,
      `${day} created_subscription ${subscriptionId} ${email}`,
      `${day} enable_grace_subscription ${subscriptionId} months=2 ${email}`,
      `${day} voided_unsub_voucher_subscription ${subscriptionId} STAY20 ${email}`,
      `${day} cancel_subscription ${subscriptionId} ${email}`,
    ]);

    const profile = await (await admin(`/v1/customers/${encodeURIComponent(customerId)}`)).json();
    expect(profile.profile).toMatchObject({ customerId, email, attributes: { roast: 'dark' }, subscriptions: { newsletter: true } });

    // The subscription by campaign and by the contact's favourite roast, as the reports page asks.
    const report = await fetch(`${env.demo.collectorUrl}/v1/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.demo.adminKey}` },
      body: JSON.stringify({
        source: { customEvent: 'created_subscription' },
        dimensions: ['utm.campaign', 'contact.roast'],
        measures: ['count', 'distinctContacts'],
      }),
    });
    expect((await report.json()).report.rows).toEqual([['spring_box', 'dark', 1, 1]]);

    const response = await admin('/v1/export/customer-actions');
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const exported = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const action of exported) expect(validate(action), JSON.stringify(validate.errors)).toBe(true);
    const mine = exported.filter((a) => a.body.customerId === customerId);
    expect(mine.map((a) => [a.eventAction, a.body.interaction.type, a.body.interaction.subscriptionContractId ?? null])).toEqual([
      ['CREATED', 'SIGN_UP', null],
      ['CREATED', 'SIGN_UP', subscriptionId],
      ['CREATED', 'PROMOTION_APPLIED', subscriptionId],
      ['CREATED', 'SUBSCRIPTION_CANCELLED', subscriptionId],
    ]);
    for (const action of mine) {
      expect(action.version).toBe(1);
      expect(action.body.utmParameters).toEqual({
        utmSource: 'newsletter',
        utmMedium: 'email',
        utmCampaign: 'spring_box',
        utmContent: 'hero',
        utmTerms: 'coffee',
      });
    }
    await page.close();
  });
});
