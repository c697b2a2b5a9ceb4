// The webhook dispatcher, run by every replica (jobs.ts): claim due deliveries through their
// outbox rows, POST each signed envelope, record the outcome. A 2xx is a delivery (billed once
// as execute-webhook); anything else, or no answer within the timeout, is retried later.
import type { Logger } from '../log';
import type { PlatformRules, Storage } from '../storage/types';
import { retryDelay } from './backoff';
import type { OutboxItem } from './outbox';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './sign';

const TIMEOUT_MS = 10_000;
/** Deliveries one run claims per entity. */
const CLAIM = 20;

export interface DispatchDeps {
  fetch: typeof fetch;
  now: () => number;
  replica: string;
  log?: Logger;
}

const send = async (deps: DispatchDeps, item: OutboxItem, secret: string): Promise<{ ok: boolean; error: string; retryAfter?: number }> => {
  try {
    const response = await deps.fetch(item.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'shoptrail-webhooks/1',
        [DELIVERY_HEADER]: item.id,
        [EVENT_HEADER]: item.eventType,
        [SIGNATURE_HEADER]: signWebhook(secret, item.payload, deps.now()),
      },
      body: item.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    const retryAfter = Number(response.headers.get('Retry-After'));
    return {
      ok: response.status >= 200 && response.status < 300,
      error: `HTTP ${response.status}`,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
};

/** One pass for one entity; the number of deliveries that succeeded. */
export const dispatchWebhooks = async (deps: DispatchDeps, storage: Storage, rules: PlatformRules): Promise<number> => {
  if (!rules.webhooks?.length) return 0;
  const items = await storage.claimWebhooks(rules.entity, deps.now(), deps.replica, CLAIM);
  const results = await Promise.all(
    items.map(async (item) => {
      const rule = rules.webhooks!.find((r) => r.id === item.rule);
      const result = rule ? await send(deps, item, rule.secret) : { ok: false, error: `webhook "${item.rule}" is no longer configured` };
      if (result.ok) return storage.webhookDelivered(rules, item, deps.now());
      const state = await storage.webhookFailed(
        item.id,
        deps.now(),
        result.error,
        deps.now() + retryDelay(item.attempts, 'retryAfter' in result ? result.retryAfter : undefined),
      );
      if (state === 'dead') deps.log?.warn({ entity: rules.entity, delivery: item.id, webhook: item.rule, err: result.error }, 'webhook dead-lettered');
      return false;
    }),
  );
  return results.filter(Boolean).length;
};
