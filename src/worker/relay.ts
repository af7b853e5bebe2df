import { parseHoldRelayOption, OPTION_NAME } from '../config/hold-relay-option.ts';
import { issueText } from '../config/issues.ts';
import { createFrameClaims } from '../delivery/frame-claims.ts';
import { createPendingJournal, journalTakers } from '../delivery/pending-journal.ts';
import { runningHold } from '../hold/state.ts';
import type { HoldInput, PortalIdentity } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { buildOutputs } from '../outputs/build-outputs.ts';
import { mayQueue, outputTypes } from '../outputs/index.ts';
import type { OutputPortal } from '../portal/types.ts';
import { openBrowserStorage } from '../storage/browser-storage.ts';
import { portalKey } from '../storage/portal-key.ts';
import { createHoldTracker } from './hold-tracker.ts';
import { resolveOperator } from './operator.ts';
import { gateOnOperator } from './operator-gate.ts';
import { createPipeline } from './pipeline.ts';

export interface Relay {
  /** One card input, at the time it was received. */
  input(input: HoldInput, at: number): void;
  /** How many outputs run, and whether the state is kept in memory only: for the start-up log line. */
  summary: string;
}

/**
 * Everything after the subscription: the hold state, the configured outputs and the pipeline between
 * them. Loaded as its own chunk while the subscriptions go out, so none of it is on the critical path.
 */
export function startRelay(port: OutputPortal, log: Logger): Relay {
  const { session } = port;
  const portal = portalKey(session);
  const store = openBrowserStorage(log);
  const option = parseHoldRelayOption(session.appOptions[OPTION_NAME], outputTypes());
  option.issues.forEach((issue) => log.error(issueText(issue)));
  // Where storage lasts, events wait beside the state until their output's outbox has them.
  const takers = journalTakers(option.outputs, mayQueue);
  const journal =
    store.durable && takers.length > 0
      ? createPendingJournal(store, `b24-hold-relay:v1:${portal}:pending:`, takers)
      : null;
  const tracker = createHoldTracker(
    store,
    `b24-hold-relay:v1:${portal}:state`,
    journal ? (events) => journal.record(events) : undefined,
  );
  const operator = resolveOperator(port, log);
  const identity = (): PortalIdentity => ({
    domain: session.domain,
    memberId: session.memberId,
    userId: operator.userId(),
  });

  const outputs = buildOutputs(option.outputs, { portal: port, log, now: Date.now, journal });
  // Frames that share storage make each transition once; frames without it agree over a channel.
  const claims = store.durable ? null : createFrameClaims(`b24-hold-relay:claims:${portal}`);
  const pipeline = createPipeline({ tracker, outputs, card: port, log, claims });
  const gate = gateOnOperator(operator, (input, at) => pipeline.input(input, at, identity()));

  const state = tracker.current(Date.now());
  if (state.call) operator.request();
  const started = runningHold(state, identity());
  // A hold that began on another portal page: the outputs take it over with its original start.
  if (started) outputs.forEach(({ output }) => output.resume?.({ started }));

  window.addEventListener('pagehide', () => {
    gate.flush();
    outputs.forEach(({ output }) => output.dispose?.());
    claims?.close();
  });
  return {
    input: gate.input,
    summary: `${outputs.length} output(s)${store.durable ? '' : ' (in-memory state)'}`,
  };
}
