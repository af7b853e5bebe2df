// A PostgreSQL database of its own beside DATABASE_URL's, for a describe block that runs several
// servers on one database: created before its tests, dropped (connections and all) after them.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Driver } from '../../src/server/db/index.ts';

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

/**
 * Two app servers' connections to one throwaway PostgreSQL database (migrated), for a describe
 * block that races them: opened before its tests, closed after them.
 */
export function useTwoServersOnOneDatabase(
  url: string,
  prefix: string,
): { readonly one: Driver; readonly two: Driver } {
  const throwaway = useThrowawayDatabase(url, prefix);
  const drivers: Driver[] = [];
  beforeAll(async () => {
    drivers.push(
      await openDatabase({ databaseUrl: throwaway.url, dataDir: '' }),
      await openDatabase({ databaseUrl: throwaway.url, dataDir: '' }),
    );
  });
  afterAll(async () => {
    for (const driver of drivers.splice(0)) await driver.close();
  });
  const get = (i: number): Driver => {
    const driver = drivers[i];
    if (!driver) throw new Error('the two connections are opened in beforeAll: use them inside a test');
    return driver;
  };
  return {
    get one() {
      return get(0);
    },
    get two() {
      return get(1);
    },
  };
}
