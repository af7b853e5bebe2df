import type { CallContext, HoldEvent, PortalIdentity } from '../../src/hold/types.ts';
import type { Logger } from '../../src/log/logger.ts';
import type { OutputContext } from '../../src/outputs/types.ts';
import type { CardAnswer, CardCommand, PortalPort, PortalSession, RestAnswer } from '../../src/portal/types.ts';

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
export function recordingPortal(options: {
  lang?: string;
  answer?: (name: CardCommand, params: Record<string, unknown>) => CardAnswer;
  rest?: (method: string, params: Record<string, unknown>) => RestAnswer;
} = {}): PortalPort & { commands: RecordedCommand[]; restCalls: { method: string; params: Record<string, unknown> }[] } {
  const commands: RecordedCommand[] = [];
  const restCalls: { method: string; params: Record<string, unknown> }[] = [];
  const session: PortalSession = {
    lang: options.lang ?? 'en',
    domain: 'example.bitrix24.com',
    origin: 'https://example.bitrix24.com',
    memberId: 'member-1',
    isAdmin: false,
    placement: 'PAGE_BACKGROUND_WORKER',
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
    async rest(method, params) {
      restCalls.push({ method, params });
      return options.rest?.(method, params) ?? { ok: true, result: true };
    },
  };
}

export function sampleEvent(type: HoldEvent['type'], overrides: Partial<HoldEvent['data']> = {}): HoldEvent {
  return {
    id: `evt_test_${type}`,
    type,
    timestamp: '2026-11-24T10:15:03.120Z',
    data: { held: type === 'hold.started', ...CONTEXT, holdSeq: 1, totalHeldMs: 0, ...IDENTITY, ...overrides },
  };
}

/** A full output context over a recording portal and logger; `failures` records holdFailed calls. */
export function outputContext(overrides: Partial<OutputContext> = {}): OutputContext & {
  failures: { event: HoldEvent; reason: string }[];
} {
  const failures: { event: HoldEvent; reason: string }[] = [];
  return {
    portal: recordingPortal(),
    log: recordingLogger(),
    label: 'outputs[0] (test)',
    now: Date.now,
    holdFailed: (event, reason) => void failures.push({ event, reason }),
    failures,
    ...overrides,
  };
}
