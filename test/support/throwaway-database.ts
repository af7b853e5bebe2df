// A PostgreSQL database of its own beside DATABASE_URL's, for a describe block that runs several
// servers on one database: created before its tests, dropped (connections and all) after them.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export function useThrowawayDatabase(url: string, prefix: string): { readonly url: string } {
  const database = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  let own = '';
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const address = new URL(url);
    address.pathname = `/${database}`;
    own = address.href;
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });
  return {
    get url() {
      if (!own) throw new Error('the throwaway database exists inside the describe block’s tests only');
      return own;
    },
  };
}
