// The embedded database (PGlite) runs no autovacuum. Without it the planner's statistics stay as the
// first ANALYZE left them, or are never made, and the rows that ingest, the sums refresher and the
// retention purge rewrite or delete all day are never reclaimed (the stale-quarters list alone gains
// and loses thousands of rows an hour). So the server vacuums and analyses each of its tables once a
// day, one statement per table: the embedded database runs one statement at a time, and operators'
// batches go in between. PostgreSQL's autovacuum does this on a server, so there it is left alone.
import type { Driver } from './index.ts';
import { DRIVER_NAME as EMBEDDED } from './pglite.ts';

export interface TableUpkeep {
  table: string;
  ms: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** VACUUM (ANALYZE) each table of the app's schema in turn; resolves with what each took. */
export async function vacuumTables(db: Driver): Promise<TableUpkeep[]> {
  const tables = await db.query<{ name: string }>(
    'SELECT quote_ident(relname) AS name FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname',
  );
  const done: TableUpkeep[] = [];
  for (const { name } of tables) {
    const started = performance.now();
    await db.exec(`VACUUM (ANALYZE) ${name}`);
    done.push({ table: name, ms: Math.round(performance.now() - started) });
  }
  return done;
}

export interface UpkeepTiming {
  /** The first pass, after the start's own work (warm-up, retention purge) is long done. */
  firstAfterMs: number;
  everyMs: number;
}

export const UPKEEP_TIMING: UpkeepTiming = { firstAfterMs: HOUR_MS, everyMs: DAY_MS };

/**
 * On the embedded database, vacuums and analyses its tables `firstAfterMs` after start and then every
 * `everyMs`; on any other, does nothing. Failures are reported, never thrown. Returns the stop function.
 */
export function scheduleUpkeep(
  db: Driver,
  report: (outcome: TableUpkeep[] | Error) => void,
  timing: UpkeepTiming = UPKEEP_TIMING,
): () => void {
  if (db.name !== EMBEDDED) return () => undefined;
  let repeat: NodeJS.Timeout | undefined;
  const run = (): void => {
    vacuumTables(db).then(report, (error: unknown) =>
      report(error instanceof Error ? error : new Error(String(error))),
    );
  };
  const first = setTimeout(() => {
    run();
    repeat = setInterval(run, timing.everyMs);
    repeat.unref();
  }, timing.firstAfterMs);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(repeat);
  };
}
