import { parseHoldRelayOption, OPTION_NAME } from '../config/hold-relay-option.ts';
import { createFrameClaims } from '../delivery/frame-claims.ts';
import { runningHold } from '../hold/state.ts';
import type { HoldInput, PortalIdentity } from '../hold/types.ts';
import { createLogger } from '../log/logger.ts';
import { buildOutputs } from '../outputs/build-outputs.ts';
import type { ConfiguredOutput } from '../outputs/types.ts';
import { connectPortal } from '../portal/adapter.ts';
import { parseFrameName } from '../portal/frame-name.ts';
import { openBrowserStorage } from '../storage/browser-storage.ts';
import { subscribeCardEvents } from './card-events.ts';
import { createHoldTracker } from './hold-tracker.ts';
import { resolveOperator } from './operator.ts';
import { createPipeline } from './pipeline.ts';

/** Wiring only: portal events -> hold state -> outputs. */
export async function startWorker(log = createLogger()): Promise<void> {
  const frame = parseFrameName(window.name);
  if (!frame) {
    log.info('not opened by a Bitrix24 portal (no frame name): nothing to relay');
    return;
  }
  const portal = connectPortal(frame);
  const queued: [HoldInput, number][] = [];
  let deliver = (input: HoldInput, at: number): void => void queued.push([input, at]);
  const subscribed = subscribeCardEvents(portal, (input, at) => deliver(input, at), log);

  const port = await portal.ready;
  const { session } = port;
  const store = openBrowserStorage(log);
  const tracker = createHoldTracker(store, `b24-hold-relay:v1:${session.memberId ?? session.domain}:state`);
  const identity: PortalIdentity = { domain: session.domain, memberId: session.memberId, userId: null };
  const operator = resolveOperator(port, log);

  const option = parseHoldRelayOption(session.appOptions[OPTION_NAME]);
  option.errors.forEach((message) => log.error(message));
  let outputs: ConfiguredOutput[] = [];
  // Frames that share storage make each transition once; frames without it agree over a channel.
  const claims = store.durable ? null : createFrameClaims(`b24-hold-relay:claims:${session.memberId ?? session.domain}`);
  const pipeline = createPipeline({ tracker, outputs: () => outputs, identity, operator, card: port, log, claims });
  outputs = buildOutputs(option.outputs, { portal: port, log, now: Date.now, holdFailed: pipeline.holdFailed }, log);

  deliver = pipeline.input;
  queued.splice(0).forEach(([input, at]) => deliver(input, at));

  const state = tracker.current(Date.now());
  if (state.call) operator.request();
  const started = runningHold(state, identity);
  // A hold that began on another portal page: the outputs take it over with its original start.
  if (started) outputs.forEach(({ output }) => output.resume?.({ started }));

  window.addEventListener('pagehide', () => {
    outputs.forEach(({ output }) => output.dispose?.());
    claims?.close();
  });
  await subscribed;
  log.info(`relaying hold changes to ${outputs.length} output(s)${store.durable ? '' : ' (in-memory state)'}`);
}
