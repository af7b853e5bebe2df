// Operators' names and photos from the portal: `user.get` filtered by ID, 50 a call, several calls
// in one `batch`. The page asks once per user for the life of the page; the server asks the same
// way for its CSV (with the caller's token) and its alerts (with the app's own).
import type { RestAnswer } from '../../portal/types.ts';

export interface Person {
  id: number;
  name: string;
  /** A URL, or '' when the user has no photo. */
  photo: string;
}

type Rest = (method: string, params?: Record<string, unknown>) => Promise<RestAnswer>;

const PAGE = 50;
const MAX_BATCH = 50;

export interface Directory {
  /** Resolves with everyone asked for that the portal knows; unknown IDs are left out. */
  load(ids: readonly number[]): Promise<Map<number, Person>>;
  /** A user already loaded, or undefined. */
  get(id: number): Person | undefined;
}

function readUsers(result: unknown): Person[] {
  if (!Array.isArray(result)) return [];
  return result.flatMap((user: Record<string, unknown>) => {
    const id = Number(user?.ID);
    if (!Number.isSafeInteger(id)) return [];
    const name = [user.NAME, user.LAST_NAME]
      .filter((part) => typeof part === 'string' && part.trim() !== '')
      .join(' ')
      .trim();
    const photo =
      typeof user.PERSONAL_PHOTO === 'string' && /^https?:\/\//.test(user.PERSONAL_PHOTO) ? user.PERSONAL_PHOTO : '';
    return [{ id, name: name || `#${id}`, photo }];
  });
}

/** `user.get?filter[@ID][0]=7&filter[@ID][1]=8`: one batch command. */
export function userGetCommand(ids: readonly number[]): string {
  return `user.get?${ids.map((id, i) => `filter%5B%40ID%5D%5B${i}%5D=${id}`).join('&')}`;
}

/**
 * Everyone of `ids` the portal knows, and why some could not be asked for (null when every call
 * was answered; an ID the portal does not know is no error).
 */
export async function fetchPeople(
  rest: Rest,
  ids: readonly number[],
): Promise<{ people: Person[]; error: string | null }> {
  const people: Person[] = [];
  const errors: string[] = [];
  const failed = (method: string, answer: { error: string; description: string }) =>
    errors.push(`${method}: ${answer.error}${answer.description ? ` (${answer.description})` : ''}`);
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += PAGE) chunks.push(ids.slice(i, i + PAGE));
  for (let i = 0; i < chunks.length; i += MAX_BATCH) {
    const group = chunks.slice(i, i + MAX_BATCH);
    if (group.length === 1) {
      const answer = await rest('user.get', { filter: { '@ID': group[0] } });
      if (answer.ok) people.push(...readUsers(answer.result));
      else failed('user.get', answer);
      continue;
    }
    const cmd = Object.fromEntries(group.map((chunk, n) => [`u${n}`, userGetCommand(chunk)]));
    const answer = await rest('batch', { halt: 0, cmd });
    if (!answer.ok) {
      failed('batch', answer);
      continue;
    }
    const batch = (answer.result ?? {}) as {
      result?: Record<string, unknown>;
      result_error?: Record<string, { error?: unknown; error_description?: unknown }>;
    };
    for (const list of Object.values(batch.result ?? {})) people.push(...readUsers(list));
    for (const error of Object.values(batch.result_error ?? {}))
      failed('user.get', {
        error: String(error?.error ?? 'error'),
        description: String(error?.error_description ?? ''),
      });
  }
  return { people, error: errors.length === 0 ? null : errors.join('; ') };
}

export function createDirectory(rest: Rest): Directory {
  const known = new Map<number, Person>();
  const asked = new Map<number, Promise<void>>();
  const fetchChunks = async (ids: number[]): Promise<void> => {
    for (const person of (await fetchPeople(rest, ids)).people) known.set(person.id, person);
  };
  return {
    async load(ids) {
      const missing = [...new Set(ids)].filter((id) => !asked.has(id));
      if (missing.length > 0) {
        const pending = fetchChunks(missing).catch(() => undefined);
        for (const id of missing) asked.set(id, pending);
      }
      await Promise.all(ids.map((id) => asked.get(id)));
      return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id) as Person] as const] : [])));
    },
    get: (id) => known.get(id),
  };
}
