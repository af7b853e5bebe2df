import type { CallContext, HoldEvent, PortalIdentity } from '../../src/hold/types.ts';
import type { Logger } from '../../src/log/logger.ts';
import { issueText } from '../../src/config/issues.ts';
import { checkOptions } from '../../src/outputs/check-options.ts';
import type { AnyOutputDefinition, Output, OutputContext } from '../../src/outputs/types.ts';
import type { CardAnswer, CardCommand, OutputPortal, PortalSession, RestAnswer } from '../../src/portal/types.ts';

export const IDENTITY: PortalIdentity = { domain: 'example.bitrix24.com', memberId: 'member-1', userId: 7 };

export const CONTEXT: CallContext = {
  callId: 'E45D40253D1C2D2F.1774588815.822533',
  phoneNumber: '+19001234567',
  lineNumber: 'reg151083',
  direction: 'incoming',
  crmEntityType: 'CONTACT',
  crmEntityId: 123,
  crmActivityId: 456,
};

export const INITIALIZED_PAYLOAD = {
  CALL_ID: 'E45D40253D1C2D2F.1774588815.822533',
  PHONE_NUMBER: '+19001234567',
  LINE_NUMBER: 'reg151083',
  LINE_NAME: '',
  CRM_ENTITY_TYPE: 'CONTACT',
  CRM_ENTITY_ID: 123,
  CRM_ACTIVITY_ID: 456,
  CRM_BINDINGS: [{ ENTITY_TYPE: 'DEAL', ENTITY_ID: 789 }],
  CALL_DIRECTION: 'incoming',
  CALL_STATE: 'connecting',
  CALL_LIST_MODE: false,
};

/** A logger that records every line, so a test can compare what was logged whole. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

export interface RecordedCommand {
  name: CardCommand;
  params: Record<string, unknown>;
}

/** A portal that records card commands and REST calls and answers as the real portal does. */
export function recordingPortal(
  options: {
    lang?: string;
    answer?: (name: CardCommand, params: Record<string, unknown>) => CardAnswer;
    rest?: (method: string, params: Record<string, unknown>) => RestAnswer;
  } = {},
): OutputPortal & { commands: RecordedCommand[]; restCalls: { method: string; params: Record<string, unknown> }[] } {
  const commands: RecordedCommand[] = [];
  const restCalls: { method: string; params: Record<string, unknown> }[] = [];
  const session: PortalSession = {
    lang: options.lang ?? 'en',
    domain: 'example.bitrix24.com',
    origin: 'https://example.bitrix24.com',
    memberId: 'member-1',
    isAdmin: false,
    placement: 'PAGE_BACKGROUND_WORKER',
    install: false,
    appOptions: {},
  };
  return {
    session,
    commands,
    restCalls,
    async command(name, params = {}) {
      commands.push({ name, params });
      return options.answer?.(name, params) ?? { ok: true, value: [] };
    },
    async operatorToken() {
      return 'operator-token';
    },
    async rest(method, params = {}) {
      restCalls.push({ method, params });
      return options.rest?.(method, params) ?? { ok: true, result: true };
    },
  };
}

/**
 * An event of the sample call, stamped by the test's own clock (a faked `Date` included) plus `afterMs`:
 * never a calendar date, which ages past every "too old" rule as the real days go by.
 */
export function sampleEvent(
  type: HoldEvent['type'],
  overrides: Partial<HoldEvent['data']> = {},
  afterMs = 0,
): HoldEvent {
  return {
    id: `evt_test_${type}`,
    type,
    timestamp: new Date(Date.now() + afterMs).toISOString(),
    data: { held: type === 'hold.started', ...CONTEXT, holdSeq: 1, totalHeldMs: 0, ...IDENTITY, ...overrides },
  };
}

/** A full output context over a recording portal and logger. */
export function outputContext(overrides: Partial<OutputContext> = {}): OutputContext {
  return { portal: recordingPortal(), log: recordingLogger(), label: 'outputs[0] (test)', now: Date.now, ...overrides };
}

/** Builds an output from its definition and options as an admin writes them; throws with every problem when they are invalid. */
export function createOutput(
  definition: AnyOutputDefinition,
  options: Record<string, unknown>,
  context: OutputContext = outputContext(),
): Output {
  const checked = checkOptions(definition, { index: 0, type: definition.type, options });
  if (!checked.ok) throw new Error(checked.issues.map(issueText).join(' | '));
  return definition.create(checked.options, context);
}

/** The problems an admin would read for these options, as the log would print them. */
export function optionProblems(definition: AnyOutputDefinition, options: Record<string, unknown>): string[] {
  const checked = checkOptions(definition, { index: 0, type: definition.type, options });
  return checked.ok ? [] : checked.issues.map(issueText);
}
