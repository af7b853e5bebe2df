import type { RestAnswer } from '../portal/types.ts';
import { WORKER_TITLES } from './i18n/index.ts';

/**
 * The worker's registration as a PAGE_BACKGROUND_WORKER: placement.bind with the worker's URL on
 * this server, for every user or for chosen operators (one binding per USER_ID), replacing what an
 * earlier install left (the portal takes one handler per app: ERROR_PLACEMENT_MAX_COUNT).
 */

export const WORKER_PLACEMENT = 'PAGE_BACKGROUND_WORKER';
export const MAX_COUNT = 'ERROR_PLACEMENT_MAX_COUNT';

export type Rest = (method: string, params?: Record<string, unknown>) => Promise<RestAnswer>;

export interface WorkerTarget {
  /** The worker: `/` on the app's server. */
  handler: string;
  /** Where the portal posts its notice when it switches the worker off. */
  errorHandlerUrl: string;
  /** [] = every user. */
  userIds: number[];
}

export interface Binding {
  handler: string;
  /** 0 = every user. */
  userId: number;
  errorHandlerUrl: string | null;
}

export type RegisterResult = { ok: true; replaced: boolean } | { ok: false; error: string };

export function workerTarget(pageUrl: string, userIds: number[] = []): WorkerTarget {
  return { handler: new URL('/', pageUrl).href, errorHandlerUrl: new URL('/placement-error', pageUrl).href, userIds };
}

export function bindParams(target: WorkerTarget, userId: number | null): Record<string, unknown> {
  const en = WORKER_TITLES.en;
  return {
    PLACEMENT: WORKER_PLACEMENT,
    HANDLER: target.handler,
    TITLE: en?.TITLE,
    DESCRIPTION: en?.DESCRIPTION,
    LANG_ALL: WORKER_TITLES,
    OPTIONS: { errorHandlerUrl: target.errorHandlerUrl },
    ...(userId === null ? {} : { USER_ID: userId }),
  };
}

export async function registerWorker(rest: Rest, target: WorkerTarget): Promise<RegisterResult> {
  const ids = target.userIds.length > 0 ? target.userIds : [null];
  const bindAll = async (): Promise<RestAnswer | null> => {
    for (const id of ids) {
      const answer = await rest('placement.bind', bindParams(target, id));
      if (!answer.ok) return answer;
    }
    return null;
  };
  const replaceAll = async (): Promise<RestAnswer | null> => {
    const removed = await rest('placement.unbind', { PLACEMENT: WORKER_PLACEMENT });
    return removed.ok ? bindAll() : removed;
  };
  let replaced = false;
  let failure = await bindAll();
  if (failure && !failure.ok && failure.error === MAX_COUNT) {
    replaced = true;
    failure = await replaceAll();
  }
  if (failure && !failure.ok) return { ok: false, error: describe(failure) };
  // A binding from an earlier choice (every user, or other operators) would keep loading the worker.
  const now = await readBindings(rest);
  if (now.ok && now.bindings.some((binding) => !wanted(binding, target))) {
    replaced = true;
    failure = await replaceAll();
    if (failure && !failure.ok) return { ok: false, error: describe(failure) };
  }
  return { ok: true, replaced };
}

export async function readBindings(
  rest: Rest,
): Promise<{ ok: true; bindings: Binding[] } | { ok: false; error: string }> {
  const answer = await rest('placement.get');
  if (!answer.ok) return { ok: false, error: describe(answer) };
  const list = Array.isArray(answer.result) ? (answer.result as Record<string, unknown>[]) : [];
  const bindings = list
    .filter((item) => String(item?.placement ?? '').toUpperCase() === WORKER_PLACEMENT)
    .map((item) => {
      const options = item.options && typeof item.options === 'object' ? (item.options as Record<string, unknown>) : {};
      return {
        handler: String(item.handler ?? ''),
        userId: Number(item.userId ?? 0) || 0,
        errorHandlerUrl: typeof options.errorHandlerUrl === 'string' ? options.errorHandlerUrl : null,
      };
    });
  return { ok: true, bindings };
}

function wanted(binding: Binding, target: WorkerTarget): boolean {
  if (binding.handler !== target.handler) return false;
  return target.userIds.length === 0 ? binding.userId === 0 : target.userIds.includes(binding.userId);
}

/** What is off about the current bindings, compared with what this server would register. */
export function bindingProblems(bindings: Binding[], target: WorkerTarget): ('none' | 'handler' | 'errorHandler')[] {
  if (bindings.length === 0) return ['none'];
  const problems: ('handler' | 'errorHandler')[] = [];
  if (bindings.some((b) => b.handler !== target.handler)) problems.push('handler');
  if (bindings.some((b) => b.errorHandlerUrl !== target.errorHandlerUrl)) problems.push('errorHandler');
  return problems;
}

/** Parses "7, 12 40" into user ids; null when something else is in it. */
export function parseUserIds(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (!parts.every((part) => /^\d{1,10}$/.test(part) && Number(part) > 0)) return null;
  return [...new Set(parts.map(Number))];
}

export function describe(answer: RestAnswer): string {
  if (answer.ok) return '';
  return answer.description ? `${answer.error}: ${answer.description}` : answer.error;
}
