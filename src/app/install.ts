import { hasOption, OPTION_NAME } from '../config/option-value.ts';
import { installedOutputs } from '../outputs/index.ts';
import type { RestAnswer } from '../portal/types.ts';
import { describe, registerWorker, type Rest, type WorkerTarget } from './registration.ts';
import { serverStatus } from './server-api.ts';

/**
 * The installer's steps: register the worker, write a default configuration when there is none,
 * then tell the portal the install is finished. A step that fails stops the install, so the portal
 * keeps opening the installer until it succeeds; running it again is safe.
 */

export const DEFAULT_OPTION = { outputs: installedOutputs(false) };
/** Where the server keeps hold statistics, every event also goes there, for the hold report. */
export const DEFAULT_OPTION_WITH_STATS = { outputs: installedOutputs(true) };

export type InstallStep = 'worker' | 'config' | 'events' | 'finish';

export interface StepReport {
  step: InstallStep;
  state: 'working' | 'done' | 'kept' | 'failed';
  /** For 'worker': whether an earlier registration was replaced; for 'failed': why. */
  detail?: string;
}

export interface InstallPorts {
  rest: Rest;
  installFinish(): void;
  /** The option as getInitData gave it, used when app.option.get cannot answer. */
  initialOption: unknown;
  /** Whether this app's server keeps hold statistics (false when it cannot say). */
  serverKeepsStatistics(): Promise<boolean>;
  /** Where the portal posts the app's install and uninstall events: this server's handler, or null when it keeps no app credentials. */
  appEventsHandler(): Promise<string | null>;
}

/** The portal events the server takes: the install with the app's own tokens, and the uninstall. */
export const APP_EVENTS = ['ONAPPINSTALL', 'ONAPPUNINSTALL'] as const;

export async function runInstall(
  ports: InstallPorts,
  target: WorkerTarget,
  report: (step: StepReport) => void,
): Promise<boolean> {
  report({ step: 'worker', state: 'working' });
  const registered = await registerWorker(ports.rest, target);
  if (!registered.ok) {
    report({ step: 'worker', state: 'failed', detail: registered.error });
    return false;
  }
  report({ step: 'worker', state: 'done', detail: registered.replaced ? 'replaced' : 'new' });

  report({ step: 'config', state: 'working' });
  const current = await ports.rest('app.option.get', { option: OPTION_NAME });
  const existing = current.ok ? current.result : ports.initialOption;
  if (hasOption(existing)) {
    report({ step: 'config', state: 'kept' });
  } else {
    const option = (await ports.serverKeepsStatistics()) ? DEFAULT_OPTION_WITH_STATS : DEFAULT_OPTION;
    const written = await ports.rest('app.option.set', { options: { [OPTION_NAME]: JSON.stringify(option) } });
    if (!written.ok) {
      report({ step: 'config', state: 'failed', detail: describe(written) });
      return false;
    }
    report({ step: 'config', state: 'done' });
  }

  report({ step: 'events', state: 'working' });
  const handler = await ports.appEventsHandler();
  if (handler === null) report({ step: 'events', state: 'kept', detail: 'no-credentials' });
  else {
    const failure = await bindAppEvents(ports.rest, handler);
    if (failure) {
      report({ step: 'events', state: 'failed', detail: describe(failure) });
      return false;
    }
    report({ step: 'events', state: 'done' });
  }

  ports.installFinish();
  report({ step: 'finish', state: 'done' });
  return true;
}

/** Binds the app events to `handler`, once: a reinstall finds them bound already. Resolves to the failing answer, or null. */
async function bindAppEvents(rest: Rest, handler: string): Promise<RestAnswer | null> {
  const current = await rest('event.get');
  const bound =
    current.ok && Array.isArray(current.result) ? (current.result as { event?: unknown; handler?: unknown }[]) : [];
  for (const event of APP_EVENTS) {
    if (bound.some((b) => String(b.event).toUpperCase() === event && b.handler === handler)) continue;
    const answer = await rest('event.bind', { event, handler });
    if (!answer.ok) return answer;
  }
  return null;
}

/** This server's handler for the app events, when the server says it keeps the app's credentials (`/api/status`). */
export async function appEventsHandler(fetcher: typeof fetch = fetch, base = location.href): Promise<string | null> {
  const status = await serverStatus(new URL('../api/', base).href, fetcher);
  return status.ok && status.value.credentials === true ? new URL('../api/portal/events', base).href : null;
}

/** Asks this app's own server (`/api/status`, beside the app page) whether it keeps hold statistics. */
export async function serverKeepsStatistics(fetcher: typeof fetch = fetch, base = location.href): Promise<boolean> {
  const status = await serverStatus(new URL('../api/', base).href, fetcher);
  return status.ok && status.value.stats === true;
}
