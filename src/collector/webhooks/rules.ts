// Webhook rules as the config file gives them: per entity, "on type X (where body fields
// equal …), POST the envelope to URL", signed with the rule's secret.
//   { "id": "orders", "on": "purchase", "where": { "currency": "EUR" }, "url": "https://…", "secretEnv": "ORDERS_HOOK_SECRET" }
export interface WebhookRule {
  /** Stable name: the outbox keys deliveries by (rule, event), so renaming one resends. */
  id: string;
  on: string;
  /** Body fields (dotted paths) that must equal these values. */
  where?: Record<string, string | number | boolean>;
  url: string;
  /** The signing secret, from the file or from the environment variable `secretEnv`. */
  secret: string;
  secretEnv?: string;
}

type Fail = (path: string, message: string) => never;

const ID = /^[A-Za-z0-9][\w.-]{0,63}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,3}$/;
const KEYS = ['id', 'on', 'where', 'url', 'secret', 'secretEnv'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const parseWebhooks = (path: string, raw: unknown, isType: (t: string) => boolean, env: NodeJS.ProcessEnv, fail: Fail): WebhookRule[] => {
  if (!Array.isArray(raw)) return fail(path, 'must be an array of { id, on, url, secret | secretEnv }');
  const ids = new Set<string>();
  return raw.map((rule, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(rule)) return fail(at, 'must be an object');
    const unknown = Object.keys(rule).filter((k) => !KEYS.includes(k));
    if (unknown.length) fail(at, `unknown key "${unknown[0]}" (known: ${KEYS.join(', ')})`);
    if (typeof rule.id !== 'string' || !ID.test(rule.id)) fail(`${at}.id`, 'must be a short name of letters, digits or ._-');
    if (ids.has(rule.id as string)) fail(`${at}.id`, `"${rule.id}" is already a webhook of this entity`);
    ids.add(rule.id as string);
    if (typeof rule.on !== 'string' || !isType(rule.on)) fail(`${at}.on`, 'must be a catalog event type');
    // A dispatch is itself an event: a rule on it would dispatch forever.
    if (rule.on === 'execute-webhook') fail(`${at}.on`, '"execute-webhook" cannot trigger a webhook');
    let url: URL | undefined;
    try {
      url = new URL(String(rule.url));
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail(`${at}.url`, 'must be an http(s) URL');
    if (rule.where !== undefined) {
      if (!isObject(rule.where)) fail(`${at}.where`, 'must be an object of body fields and values');
      for (const [field, value] of Object.entries(rule.where as object)) {
        if (!FIELD.test(field)) fail(`${at}.where`, `"${field}" is not a body field path`);
        if (!['string', 'number', 'boolean'].includes(typeof value)) fail(`${at}.where.${field}`, 'must be a string, number or boolean');
      }
    }
    if ((rule.secret === undefined) === (rule.secretEnv === undefined)) fail(`${at}.secret`, 'give "secret" or "secretEnv" (one of them)');
    let secret = rule.secret;
    if (rule.secretEnv !== undefined) {
      if (typeof rule.secretEnv !== 'string' || !rule.secretEnv) fail(`${at}.secretEnv`, 'must be a non-empty string');
      secret = env[rule.secretEnv as string];
      if (!secret) fail(`${at}.secretEnv`, `environment variable ${rule.secretEnv} is not set`);
    }
    if (typeof secret !== 'string' || secret.length < 16) fail(`${at}.secret`, 'must be at least 16 characters');
    const parsed: WebhookRule = { id: rule.id as string, on: rule.on as string, url: url!.toString(), secret: secret as string };
    if (rule.where !== undefined) parsed.where = { ...(rule.where as Record<string, string | number | boolean>) };
    if (rule.secretEnv !== undefined) parsed.secretEnv = rule.secretEnv as string;
    return parsed;
  });
};
