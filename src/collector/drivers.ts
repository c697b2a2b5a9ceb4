// Database drivers are optional peer dependencies: installing shoptrail for the browser pulls
// none. The engines load theirs here, and a missing one says which package to install.
type Load = (name: string) => Promise<unknown>;

const PACKAGES = {
  pg: 'PostgreSQL',
  'better-sqlite3': 'SQLite',
} as const;

export type DriverName = keyof typeof PACKAGES;

export class MissingDriverError extends Error {
  override name = 'MissingDriverError';
  readonly code = 'SHOPTRAIL_DRIVER_MISSING';
}

export function requireDriver(name: 'pg', load?: Load): Promise<typeof import('pg')>;
export function requireDriver(name: 'better-sqlite3', load?: Load): Promise<typeof import('better-sqlite3')>;
export async function requireDriver(name: DriverName, load: Load = (n) => import(n)): Promise<unknown> {
  try {
    // Both drivers are CommonJS: what they export is the namespace's default.
    const loaded = (await load(name)) as { default?: unknown };
    return loaded.default ?? loaded;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Only the driver itself missing; a driver that is there but broken keeps its own error.
    if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(`'${name}'`)) {
      throw new MissingDriverError(`the ${PACKAGES[name]} driver is not installed: npm install ${name}`, { cause: error });
    }
    throw error;
  }
}
