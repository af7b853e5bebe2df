import type { HoldInput } from '../hold/types.ts';
import { createLogger } from '../log/logger.ts';
import { connectWorkerPortal } from '../portal/adapter.ts';
import { takeEarlyBinds } from '../portal/early-binds.ts';
import { parseFrameName } from '../portal/frame-name.ts';
import { subscribeCardEvents } from './card-events.ts';

/**
 * Wiring only: portal events -> hold state -> outputs. The subscriptions went out already from the
 * page's inline script (src/worker/inline-entry.ts), or go out first here when it did not run; the
 * relay (state, configuration, outputs) loads meanwhile, and card inputs that arrive before it is
 * ready wait in order.
 */
export async function startWorker(log = createLogger()): Promise<void> {
  const frame = parseFrameName(window.name);
  if (!frame) {
    log.info('not opened by a Bitrix24 portal (no frame name): nothing to relay');
    return;
  }
  const portal = connectWorkerPortal(frame, takeEarlyBinds());
  const queued: [HoldInput, number][] = [];
  let deliver = (input: HoldInput, at: number): void => void queued.push([input, at]);
  const subscribed = subscribeCardEvents(portal, (input, at) => deliver(input, at), log);

  const [{ startRelay }, port] = await Promise.all([import('./relay.ts'), portal.ready]);
  const relay = startRelay(port, log);
  deliver = relay.input;
  queued.splice(0).forEach(([input, at]) => deliver(input, at));
  await subscribed;
  log.info(`relaying hold changes to ${relay.summary}`);
}
