// Keeps the worker's registration alive. Bitrix24 deletes a PAGE_BACKGROUND_WORKER registration
// whose handler was slow too often and posts a notice without credentials, so anyone can post one.
// A notice therefore only asks for a check: the server reads placement.get with its own token and
// binds the worker again, with the options the install used, only when its registration is gone.
// Checks of one portal are at least MIN_GAP_MS apart (a flood of forged notices costs one check per
// gap); a notice during the gap is answered by a check at its end. Every portal is also checked daily.
import { readBindings, registerWorker, type Binding, type WorkerTarget } from '../../app/registration.ts';
import { realClock, type Clock } from '../clock.ts';
import { appRestFor, type PortalAccess } from './app-rest-for.ts';
import { registrationOf, saveRegistrationCheck, type RegistrationOutcome } from './install-store.ts';

export const MIN_GAP_MS = 10_000;

export interface KeeperDeps extends PortalAccess {
  log: (line: string) => void;
  /** News that needs no action (a registration restored); default `log`. */
  info?: (line: string) => void;
  /** The gap's timers and the time of each check; the real clock by default. */
  clock?: Clock;
}

export interface CheckResult {
  outcome: RegistrationOutcome;
  detail: string | null;
}

export interface RegistrationKeeper {
  /** Checks now (or after the running check) and binds the worker again if it is gone. */
  check(portal: string): Promise<CheckResult>;
  /** A notice named the portal: a check now, or at the end of the gap since the last one. */
  noticed(portal: string): void;
  /** Stops pending checks. */
  close(): void;
}

/** The registration an install left, as placement.get shows it: what the server keeps alive. */
export function targetOf(bindings: readonly Binding[]): WorkerTarget | null {
  const first = bindings[0];
  if (!first || first.errorHandlerUrl === null)
    return first
      ? {
          handler: first.handler,
          errorHandlerUrl: new URL('/placement-error', first.handler).href,
          userIds: userIdsOf(bindings),
        }
      : null;
  return { handler: first.handler, errorHandlerUrl: first.errorHandlerUrl, userIds: userIdsOf(bindings) };
}

const userIdsOf = (bindings: readonly Binding[]): number[] =>
  bindings.some((b) => b.userId === 0) ? [] : [...new Set(bindings.map((b) => b.userId))];

function isTarget(value: unknown): value is WorkerTarget {
  const target = value as Partial<WorkerTarget> | null;
  return (
    typeof target?.handler === 'string' &&
    typeof target.errorHandlerUrl === 'string' &&
    Array.isArray(target.userIds) &&
    target.userIds.every((id) => Number.isSafeInteger(id))
  );
}

export function createRegistrationKeeper(deps: KeeperDeps): RegistrationKeeper {
  const clock = deps.clock ?? realClock;
  /** Per portal: the check under way, when the last one began, and the cancel of a check waiting for the gap's end. */
  const state = new Map<
    string,
    { running: Promise<CheckResult> | null; lastAt: number; cancel: (() => void) | null }
  >();

  const runCheck = async (portal: string): Promise<CheckResult> => {
    const result = await inspect(portal).catch((error: unknown): CheckResult => ({
      outcome: 'failed',
      detail: error instanceof Error ? error.message : String(error),
    }));
    await saveRegistrationCheck(deps.db, portal, result.outcome, result.detail, new Date(clock.now())).catch(
      () => undefined,
    );
    if (result.outcome === 'rebound')
      (deps.info ?? deps.log)(
        `registration: ${portal}: the worker's registration was gone; bound again (${result.detail ?? 'as installed'})`,
      );
    if (result.outcome === 'failed')
      deps.log(`registration: ${portal}: the check failed: ${result.detail ?? 'unknown'}`);
    return result;
  };

  const inspect = async (portal: string): Promise<CheckResult> => {
    const got = await appRestFor(deps, portal);
    if (!got.ok) return { outcome: 'failed', detail: got.error };
    const { rest } = got;
    const read = await readBindings(rest);
    if (!read.ok) return { outcome: 'failed', detail: `placement.get: ${read.error}` };
    if (read.bindings.length > 0) return { outcome: 'present', detail: null };
    const target = (await registrationOf(deps.db, portal))?.workerTarget;
    if (!isTarget(target))
      return {
        outcome: 'failed',
        detail:
          'the registration is gone and the install left none to restore: register the worker again on the app page',
      };
    const bound = await registerWorker(rest, target);
    return bound.ok
      ? {
          outcome: 'rebound',
          detail: target.userIds.length > 0 ? `for users ${target.userIds.join(', ')}` : 'for every user',
        }
      : { outcome: 'failed', detail: `placement.bind: ${bound.error}` };
  };

  const slot = (portal: string) => {
    let entry = state.get(portal);
    if (!entry) state.set(portal, (entry = { running: null, lastAt: Number.NEGATIVE_INFINITY, cancel: null }));
    return entry;
  };

  const check = (portal: string): Promise<CheckResult> => {
    const entry = slot(portal);
    const previous = entry.running ?? Promise.resolve();
    const next = previous.then(() => {
      entry.lastAt = clock.now();
      return runCheck(portal);
    });
    entry.running = next;
    void next.finally(() => {
      if (entry.running === next) entry.running = null;
    });
    return next;
  };

  return {
    check,
    noticed(portal) {
      const entry = slot(portal);
      if (entry.cancel) return;
      const wait = Math.max(0, entry.lastAt + MIN_GAP_MS - clock.now());
      if (wait === 0 && !entry.running) return void check(portal);
      entry.cancel = clock.after(wait || MIN_GAP_MS, () => {
        entry.cancel = null;
        void check(portal);
      });
    },
    close() {
      for (const entry of state.values()) entry.cancel?.();
      state.clear();
    },
  };
}
