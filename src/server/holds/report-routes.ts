// The report endpoints: the period report and the data deletion (admins), the holds list and its
// CSV with the operators' names (admins; any other user gets their own holds only).
import { Hono } from 'hono';
import { listHolds } from './holds-list.ts';
import { announceChange } from './live.ts';
import { periodReport } from './report.ts';
import { deletePortal } from './retention.ts';
import { holdsCsv } from './holds-csv.ts';
import { operatorNames } from './operator-names.ts';
import { fail, requireAdmin, requireUser, type ApiContext, type ApiDeps, type ApiEnv } from '../http/api-context.ts';
import {
  MAX_CSV_HOLDS,
  MAX_HOLDS,
  parseBucket,
  parseLineNumber,
  parseListOptions,
  parsePeriod,
  type ListOptions,
} from './report-period.ts';
import type { Period } from './report.ts';

type HoldsQuery = { period: Period } & ListOptions;

/** The list's query with a non-admin narrowed to their own holds, or a refusal. */
async function holdsQuery(
  c: ApiContext,
  deps: ApiDeps,
  maxLimit: number,
  defaultLimit: number,
): Promise<HoldsQuery | Response> {
  const query = (name: string) => c.req.query(name);
  const period = parsePeriod(query);
  if (!period.ok) return fail(c, 400, period.error, { field: period.field });
  const options = parseListOptions(query, maxLimit, defaultLimit);
  if (!options.ok) return fail(c, 400, options.error, { field: options.field });
  const identity = c.get('identity');
  const admin = await deps.verifier.isAdmin(identity);
  if (!admin.ok) return fail(c, admin.status, admin.error, {}, admin.retryAfterS);
  return { period: period.value, ...options.value, userId: admin.value ? options.value.userId : identity.userId };
}

export function reportRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', requireUser(deps));

  app.get('/', requireAdmin(deps), async (c) => {
    const period = parsePeriod((name) => c.req.query(name));
    if (!period.ok) return fail(c, 400, period.error, { field: period.field });
    const by = parseBucket((name) => c.req.query(name), period.value);
    if (!by.ok) return fail(c, 400, by.error, { field: by.field });
    const line = parseLineNumber((name) => c.req.query(name));
    if (!line.ok) return fail(c, 400, line.error, { field: line.field });
    return c.json(
      await periodReport(deps.stats.db, c.get('identity').portal, period.value, {
        hours: by.value === 'hour',
        lineNumber: line.value,
      }),
    );
  });

  app.get('/holds', async (c) => {
    const query = await holdsQuery(c, deps, MAX_HOLDS, 100);
    if (query instanceof Response) return query;
    return c.json({ holds: await listHolds(deps.stats.db, c.get('identity').portal, query) });
  });

  // The names come from the portal, asked with the caller's own token; without them the CSV still
  // comes, with user ids, and says so in `X-Operator-Names` (the page shows a note) and in the log.
  app.get('/holds.csv', async (c) => {
    const query = await holdsQuery(c, deps, MAX_CSV_HOLDS, MAX_CSV_HOLDS);
    if (query instanceof Response) return query;
    const identity = c.get('identity');
    const holds = await listHolds(deps.stats.db, identity.portal, query);
    const { names, error } = await operatorNames(
      deps.stats.db,
      identity,
      holds.map((hold) => hold.userId),
      deps.fetch,
    );
    if (error !== null)
      deps.warn(`report: the holds CSV of ${identity.portal} goes without operator names (user ids only): ${error}`);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return c.body(
      holdsCsv(holds, query.period.tz, (userId) => names.get(userId) ?? null),
      200,
      {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="holds-${day(query.period.from)}-${day(query.period.to)}.csv"`,
        'X-Hold-Count': String(holds.length),
        'X-Operator-Names': error === null ? 'included' : 'unavailable',
      },
    );
  });

  // Deleting cannot be undone: an admin demoted seconds ago must not still pass.
  app.delete('/data', requireAdmin(deps, { fresh: true }), async (c) => {
    const { portal } = c.get('identity');
    const deleted = await deletePortal(deps.stats.db, portal);
    await announceChange(deps.stats.db, portal).catch(() => undefined);
    return c.json({ deleted });
  });

  return app;
}
