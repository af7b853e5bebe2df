// A PostgreSQL server through node-postgres: a connection pool for queries, and one dedicated
// connection for LISTEN (reconnected when it drops), so several app servers share one database.
import pg from 'pg';
import { driverError, type Driver, type Queryable } from './driver.ts';

export const DRIVER_NAME = 'postgres';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Pool size; default 10. */
  max?: number;
}

const RECONNECT_MS = 1000;

const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
  async query<Row>(sql: string, params: readonly unknown[] = []) {
    return (await client.query(sql, [...params])).rows as Row[];
  },
  async exec(sql: string) {
    await client.query(sql);
  },
});

/**
 * The URL with `-c jit=off` added to its startup options. Short statements only: PostgreSQL's JIT
 * would spend 100+ ms compiling a quarter's recount whose estimate, not its work, passes the threshold.
 */
function withoutJit(raw: string): string {
  const url = new URL(raw);
  url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c jit=off`.trim());
  return url.href;
}

export default async function postgresDriver(options: PostgresOptions): Promise<Driver> {
  if (!/^postgres(ql)?:\/\//.test(options.url)) throw driverError(DRIVER_NAME, 'url must start with postgres://');
  const url = withoutJit(options.url);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5000 });
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw driverError(DRIVER_NAME, `cannot connect: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  const ensureListener = (): Promise<void> =>
    (connecting ??= connectListener().catch((error: unknown) => {
      connecting = null;
      throw error;
    }));

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      for (const onPayload of listeners.get(message.channel) ?? []) onPayload(message.payload ?? '');
    });
    client.on('error', () => {
      if (listener === client) {
        listener = null;
        connecting = null;
      }
      void client.end().catch(() => undefined);
      if (!closed) setTimeout(() => void ensureListener().catch(() => undefined), RECONNECT_MS).unref();
    });
    await client.connect();
    for (const channel of listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    listener = client;
  }

  return {
    name: DRIVER_NAME,
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        if (listener) await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      await ensureListener();
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      listener = null;
      await pool.end();
    },
  };
}
