import { hasOption, OPTION_NAME } from '../config/option-value.ts';
import { describe, registerWorker, type Rest, type WorkerTarget } from './registration.ts';

/**
 * The installer's steps: register the worker, write a default configuration when there is none,
 * then tell the portal the install is finished. A step that fails stops the install, so the portal
 * keeps opening the installer until it succeeds; running it again is safe.
 */

export const DEFAULT_OPTION = { outputs: [{ type: 'log' }, { type: 'callCard' }] };

export type InstallStep = 'worker' | 'config' | 'finish';

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
}

export async function runInstall(ports: InstallPorts, target: WorkerTarget, report: (step: StepReport) => void): Promise<boolean> {
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
    const written = await ports.rest('app.option.set', { options: { [OPTION_NAME]: JSON.stringify(DEFAULT_OPTION) } });
    if (!written.ok) {
      report({ step: 'config', state: 'failed', detail: describe(written) });
      return false;
    }
    report({ step: 'config', state: 'done' });
  }

  ports.installFinish();
  report({ step: 'finish', state: 'done' });
  return true;
}

