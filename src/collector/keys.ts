// Who may write and who may read: write keys per entity with their allowed origins, and one
// admin key per entity for reads, as the config file (config.ts) gives them.
import { randomBytes } from 'node:crypto';
import type { CollectorConfig, EntityConfig } from './config';
import { secretIndex } from './serverKeys';

// The config types and parser moved to config.ts; re-exported so existing imports keep working.
export type { CollectorConfig, EntityConfig, RateLimitConfig } from './config';
export { loadConfig, parseConfig } from './config';

export interface Keys {
  /** The entity a write key belongs to. */
  byWriteKey(key: string): EntityConfig | undefined;
  /** The entity an admin key reads. */
  byAdminKey(key: string): EntityConfig | undefined;
  /** The entity a server key (the store's back end) sends for. */
  byServerKey(key: string): EntityConfig | undefined;
  adminKeyOf(entity: string): string | undefined;
  originAllowed(entity: EntityConfig, origin: string | undefined): boolean;
  /** For preflights, which come before the key is known: allowed for some entity. */
  anyOriginAllowed(origin: string): boolean;
  /** Let an origin send for an entity (the demo adds its storefront's origin once it listens). */
  allowOrigin(entity: string, origin: string): void;
  entities: EntityConfig[];
}

export const createKeys = (config: CollectorConfig, env: NodeJS.ProcessEnv = process.env): Keys => {
  const writers = new Map<string, EntityConfig>();
  const admins: Array<[string, EntityConfig]> = [];
  const servers: Array<[string, EntityConfig]> = [];
  const adminOf = new Map<string, string>();
  for (const entity of config.entities) {
    for (const key of entity.writeKeys) writers.set(key, entity);
    const admin = entity.adminKey ?? (entity.adminKeyEnv && env[entity.adminKeyEnv]) ?? `sk_${entity.entity}_${randomBytes(16).toString('hex')}`;
    admins.push([admin, entity]);
    for (const key of entity.serverKeys ?? []) servers.push([key, entity]);
    adminOf.set(entity.entity, admin);
  }
  const originAllowed = (entity: EntityConfig, origin: string | undefined): boolean =>
    // No Origin header: not a browser (curl, a server, the bench). Origins only fence browsers.
    origin === undefined || entity.allowedOrigins.includes('*') || entity.allowedOrigins.includes(origin);
  // Write keys are public (they are in every page): a Map will do. Admin and server keys are
  // secrets, compared in constant time.
  const byAdminKey = secretIndex(admins);
  const byServerKey = secretIndex(servers);
  return {
    byWriteKey: (key) => writers.get(key),
    byAdminKey,
    byServerKey,
    adminKeyOf: (entity) => adminOf.get(entity),
    originAllowed,
    anyOriginAllowed: (origin) => config.entities.some((e) => originAllowed(e, origin)),
    allowOrigin: (name, origin) => {
      const entity = config.entities.find((e) => e.entity === name);
      if (entity && !entity.allowedOrigins.includes(origin)) entity.allowedOrigins.push(origin);
    },
    entities: config.entities,
  };
};
