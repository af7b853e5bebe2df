// The simulated portal's `user.get` (filtered by ID, 50 a page) and `batch` (up to 50 commands,
// each a `method?query` string with bracketed keys), answered the way the portal answers them.
import type { Answer, SimUser } from './rest-portal.ts';

const PAGE = 50;
const MAX_COMMANDS = 50;

/** The ID conditions of a `user.get` filter, with the portal's key prefixes (`@` in, `!@` not in, `>=`...). */
function idTest(filter: Record<string, unknown>): (id: number) => boolean {
  const tests: ((id: number) => boolean)[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const prefix = /^(@|!@|=|!=|!|>=|>|<=|<)?ID$/i.exec(key)?.[1];
    if (prefix === undefined && !/^ID$/i.test(key)) continue;
    const ids = new Set((Array.isArray(value) ? value : [value]).map((id) => Number(id)));
    const bound = Number(Array.isArray(value) ? value[0] : value);
    const byPrefix: Record<string, (id: number) => boolean> = {
      '': (id) => ids.has(id),
      '@': (id) => ids.has(id),
      '=': (id) => ids.has(id),
      '!@': (id) => !ids.has(id),
      '!=': (id) => !ids.has(id),
      '!': (id) => !ids.has(id),
      '>=': (id) => id >= bound,
      '>': (id) => id > bound,
      '<=': (id) => id <= bound,
      '<': (id) => id < bound,
    };
    const test = byPrefix[prefix ?? ''];
    if (test) tests.push(test);
  }
  return (id) => tests.every((test) => test(id));
}

/** `user.get` with `filter` (also `FILTER`) on ID and `start`: 50 a page, `total`, and `next` while there are more. */
export function usersById(
  users: readonly SimUser[],
  params: Record<string, unknown>,
  photoOf: (id: number) => string,
): Answer {
  const filter = (params.filter ?? params.FILTER ?? {}) as Record<string, unknown>;
  const wanted = idTest(filter);
  const found = users.filter((user) => wanted(user.id)).sort((a, b) => a.id - b.id);
  const start = Math.max(0, Number(params.start ?? 0) || 0);
  const page = found.slice(start, start + PAGE).map((user) => {
    const [name = '', ...last] = user.name.split(' ');
    return {
      ID: String(user.id),
      ACTIVE: true,
      NAME: name,
      LAST_NAME: last.join(' '),
      PERSONAL_PHOTO: photoOf(user.id),
      USER_TYPE: 'employee',
    };
  });
  const next = start + PAGE < found.length ? { next: start + PAGE } : {};
  return { status: 200, body: { result: page, total: found.length, ...next } };
}

/** `batch` with `cmd` (an object or an array of `method?query`) and `halt`. */
export function batchCommands(
  params: Record<string, unknown>,
  run: (method: string, params: Record<string, unknown>) => Answer,
): Answer {
  const cmd = params.cmd;
  if (!cmd || typeof cmd !== 'object')
    return { status: 400, body: { error: 'ERROR_ARGUMENT', error_description: 'cmd is required' } };
  const entries = Object.entries(cmd as Record<string, unknown>);
  if (entries.length > MAX_COMMANDS)
    return {
      status: 400,
      body: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: `Max batch length exceeded (${MAX_COMMANDS})` },
    };
  const halt = params.halt === true || params.halt === 1 || params.halt === '1';
  const result: Record<string, unknown> = {};
  const errors: Record<string, unknown> = {};
  const totals: Record<string, unknown> = {};
  const nexts: Record<string, unknown> = {};
  const times: Record<string, unknown> = {};
  for (const [key, line] of entries) {
    const [method = '', query = ''] = String(line).split(/\?(.*)/s);
    const answer = run(method, parseQuery(query));
    if ('error' in answer.body) {
      errors[key] = { error: answer.body.error, error_description: answer.body.error_description };
      if (halt) break;
      continue;
    }
    result[key] = answer.body.result;
    times[key] = { start: 0, finish: 0, duration: 0, processing: 0 };
    if (answer.body.total !== undefined) totals[key] = answer.body.total;
    if (answer.body.next !== undefined) nexts[key] = answer.body.next;
  }
  // PHP writes an empty map as a JSON list, as the portal's answers show: `"result_error": []`.
  const map = (entries: Record<string, unknown>) => (Object.keys(entries).length === 0 ? [] : entries);
  return {
    status: 200,
    body: {
      result: {
        result: map(result),
        result_error: map(errors),
        result_total: map(totals),
        result_next: map(nexts),
        result_time: map(times),
      },
    },
  };
}

/** `filter[@ID][0]=7&start=0` -> `{filter: {'@ID': ['7']}, start: '0'}`, as PHP reads a query. */
export function parseQuery(query: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) continue;
    const path = [match[1] ?? '', ...[...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')];
    let node = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) node[key === '' ? String(Object.keys(node).length) : key] = value;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return arrays(root) as Record<string, unknown>;
}

function arrays(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, arrays(v)] as const);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
