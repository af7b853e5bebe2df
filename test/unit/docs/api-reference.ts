// Reading the API reference out of docs/: the routes it names and the JSON examples it gives, each
// with the endpoint it belongs to and whether it is a request, an answer or a refusal.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type Role = 'request' | 'answer' | 'error';

export interface Example {
  /** `METHOD /api/path`, with `:name` for a `<name>` placeholder; null outside an endpoint's section. */
  route: string | null;
  role: Role | null;
  json: string;
  /** `docs/page.md:line`, for the failure message. */
  where: string;
}

const METHOD_ROUTE = /\b(GET|POST|PUT|PATCH|DELETE) (\/api\/[^\s`?)|,;]*)/g;
const HEADING = /^#{2,4} /;
const ENDPOINT_HEADING = /^#{2,4} `(GET|POST|PUT|PATCH|DELETE) (\/api\/[^\s`?]*)/;
const FENCE = /^```(\S*)(?: (\S+))?\s*$/;
const TABLE_ROW = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/api\/[^\s`?]*)/;

/** `POST /api/webhooks/<id>/rotate` as Hono names it: `POST /api/webhooks/:id/rotate`. */
export function routeKey(method: string, path: string): string {
  return `${method} ${path.replace(/[.:]+$/, '').replace(/<(\w+)>/g, ':$1')}`;
}

export function docPages(root: string): string[] {
  return readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
}

/** Every `METHOD /api/...` a page names, anywhere in its text. */
export function documentedRoutes(text: string): string[] {
  return [...text.matchAll(METHOD_ROUTE)].map((match) => routeKey(match[1] ?? '', match[2] ?? ''));
}

/** The fenced ```json blocks of a page, and the JSON objects in the rows of its endpoint tables. */
export function examplesOf(page: string, text: string): Example[] {
  const examples: Example[] = [];
  const lines = text.split('\n');
  let route: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (HEADING.test(line)) {
      const endpoint = ENDPOINT_HEADING.exec(line);
      route = endpoint ? routeKey(endpoint[1] ?? '', endpoint[2] ?? '') : null;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence && fence[1] !== '') {
      const start = i;
      const body: string[] = [];
      while (++i < lines.length && !/^```\s*$/.test(lines[i] ?? '')) body.push(lines[i] ?? '');
      if (fence[1] === 'json')
        examples.push({
          route,
          role: (fence[2] as Role | undefined) ?? null,
          json: body.join('\n'),
          where: `${page}:${start + 1}`,
        });
      continue;
    }
    const row = TABLE_ROW.exec(line);
    if (row) examples.push(...rowExamples(routeKey(row[1] ?? '', row[2] ?? ''), line, `${page}:${i + 1}`));
  }
  return examples;
}

/** In a table row, a JSON object before the arrow is the request, after it the answer; one with an `error` text a refusal. */
function rowExamples(route: string, line: string, where: string): Example[] {
  const arrow = line.indexOf('→');
  return [...line.matchAll(/`(\{[^`]*\})`/g)].flatMap((match) => {
    const json = match[1] ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return []; // a list of field names, such as {"stored", "duplicates"}: not an example
    }
    const role: Role =
      typeof (parsed as { error?: unknown } | null)?.error === 'string'
        ? 'error'
        : arrow >= 0 && (match.index ?? 0) < arrow
          ? 'request'
          : 'answer';
    return [{ route, role, json, where }];
  });
}

export function readPage(root: string, page: string): string {
  return readFileSync(join(root, page), 'utf8');
}
