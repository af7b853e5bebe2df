import { resolve } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, ApiErrorSchema, type ApiRoute } from '../../../src/contract/api-routes.ts';
import { HoldEventSchema } from '../../../src/contract/event.ts';
import { AlertSettingsSchema } from '../../../src/server/alerts/alert-settings.ts';
import { AlertTestInput } from '../../../src/server/alerts/routes.ts';
import { EventBatchSchema } from '../../../src/server/holds/event-schema.ts';
import { createApi } from '../../../src/server/http/api.ts';
import type { Statistics } from '../../../src/server/holds/service.ts';
import type { Webhooks } from '../../../src/server/webhooks/service.ts';
import { ConfirmInput, WebhookInput } from '../../../src/server/webhooks/routes.ts';
import { docPages, documentedRoutes, examplesOf, readPage, type Example } from './api-reference.ts';

const root = resolve(import.meta.dirname, '../../..');
const pages = docPages(root);
const examples = pages.flatMap((page) => examplesOf(page, readPage(root, page)));
const documented = new Set(pages.flatMap((page) => documentedRoutes(readPage(root, page))));

/** The bodies the server takes, checked by the server's own validators (an event also as the worker makes it). */
const REQUESTS: Partial<Record<ApiRoute, v.GenericSchema[]>> = {
  'POST /api/events': [EventBatchSchema, v.strictObject({ events: v.array(HoldEventSchema) })],
  'POST /api/webhooks': [WebhookInput],
  'POST /api/confirm': [
    v.strictObject({ ...ConfirmInput.entries, event: EventBatchSchema.entries.events.item }),
    v.strictObject({ ...ConfirmInput.entries, event: HoldEventSchema }),
  ],
  'PUT /api/settings/alerts': [AlertSettingsSchema],
  'POST /api/settings/alerts/test': [AlertTestInput],
};

/** Every route the server's Hono app serves under /api, with every feature on. */
function servedRoutes(): string[] {
  const api = createApi({
    stats: { ingest: { onQueued: () => undefined } } as unknown as Statistics,
    webhooks: { wake: () => undefined } as unknown as Webhooks,
    portalOrigins: [],
    clientOf: () => '127.0.0.1',
    warn: () => undefined,
  });
  api.closeStreams();
  return [
    ...new Set(
      api.routes.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} /api${route.path}`),
    ),
  ].sort();
}

function schemasFor(example: Example): v.GenericSchema[] {
  if (example.role === 'error') return [ApiErrorSchema];
  const route = example.route as ApiRoute;
  const answer = API_ROUTES[route] as v.GenericSchema | null | undefined;
  return example.role === 'request' ? (REQUESTS[route] ?? []) : answer ? [answer] : [];
}

function problemsOf(example: Example): string[] {
  let value: unknown;
  try {
    value = JSON.parse(example.json);
  } catch (error) {
    return [`is not JSON: ${String(error)}`];
  }
  const schemas = schemasFor(example);
  if (schemas.length === 0)
    return [
      `${example.route ?? 'no endpoint'} has no ${example.role ?? 'request or answer'} schema to check it against`,
    ];
  return schemas.flatMap(
    (schema) =>
      v.safeParse(schema, value).issues?.map((issue) => `${v.getDotPath(issue) ?? '(top)'}: ${issue.message}`) ?? [],
  );
}

describe('the API reference in docs/', () => {
  it('the contract lists exactly the routes the server serves under /api', () => {
    expect(servedRoutes()).toEqual(Object.keys(API_ROUTES).sort());
  });

  it('documents every route the server serves under /api', () => {
    expect(servedRoutes().filter((route) => !documented.has(route))).toEqual([]);
  });

  it('names no /api route the server does not serve', () => {
    const served = new Set(servedRoutes());
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
  });

  it('gives an example answer for every JSON route and an example request for every route that takes a body', () => {
    const shown = new Set(examples.map((example) => `${example.role} ${example.route}`));
    const missing = [
      ...Object.entries(API_ROUTES)
        .filter(([, schema]) => schema !== null)
        .map(([route]) => `answer ${route}`),
      ...Object.keys(REQUESTS).map((route) => `request ${route}`),
    ].filter((wanted) => !shown.has(wanted));
    expect(missing).toEqual([]);
  });

  it('marks each JSON block of an endpoint as its request, its answer or a refusal', () => {
    expect(
      examples.filter((example) => example.route !== null && example.role === null).map((example) => example.where),
    ).toEqual([]);
  });

  it.each(
    examples
      .filter((example) => example.role !== null)
      .map((example) => [`${example.where} (${example.role} of ${example.route ?? 'any route'})`, example] as const),
  )('%s matches the schema exactly', (_where, example) => {
    expect(problemsOf(example)).toEqual([]);
  });
});
