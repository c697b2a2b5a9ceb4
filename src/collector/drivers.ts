// Database drivers are optional peer dependencies: installing shoptrail for the browser pulls
// none, and a collector loads only the one its stores need, saying which to install if missing.
type Drivers = { pg: typeof import('pg'); 'better-sqlite3': typeof import('better-sqlite3') };

export const requireDriver = async <N extends keyof Drivers>(name: N): Promise<{ default: Drivers[N] }> => {
  try {
    return (await import(name)) as { default: Drivers[N] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`the ${name} package is needed for this store: npm install ${name}`, { cause: error });
    }
    throw error;
  }
};
