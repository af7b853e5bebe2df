import { parseHoldRelayOption } from '../config/hold-relay-option.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { fillTemplate, templateValues } from '../outputs/template.ts';
import type { OutputContext } from '../outputs/types.ts';
import type { PortalPort } from '../portal/types.ts';
import { factoryFor } from './outputs.ts';
import { EMPTY_CONTEXT } from '../hold/state.ts';

/**
 * "Send test event": one hold.started through every enabled output, each isolated from the others,
 * with what became of it. A webhook is tried once within WEBHOOK_TIMEOUT_MS, outside the outbox;
 * outputs that would change the portal (rest) or need a live call (callCard) are described, not run.
 */

export type TestOutcome = 'delivered' | 'sent' | 'described' | 'failed' | 'skipped';

export interface TestResult {
  label: string;
  type: string;
  outcome: TestOutcome;
  /** Key of the explanation in the page's texts, with its values. */
  note: string;
  values: Record<string, string>;
}

export const WEBHOOK_TIMEOUT_MS = 8000;

export function testEvent(portal: PortalPort, now = Date.now()): HoldEvent {
  const { domain, memberId } = portal.session;
  return {
    id: `evt_test_${now.toString(36)}`,
    type: 'hold.started',
    timestamp: new Date(now).toISOString(),
    data: {
      ...EMPTY_CONTEXT,
      held: true,
      callId: `test-${now}`,
      holdSeq: 1,
      totalHeldMs: 0,
      domain,
      memberId,
      userId: null,
    },
  };
}

export async function sendTestEvent(option: unknown, portal: PortalPort, log: Logger): Promise<TestResult[]> {
  const event = testEvent(portal);
  const parsed = parseHoldRelayOption(option);
  const failed = parsed.errors.map((message): TestResult => ({ label: message.split(':')[0] ?? '', type: '', outcome: 'failed', note: 'invalid', values: { message } }));
  const results = await Promise.all(parsed.outputs.map(({ label, type, options }) => sendOne(event, label, type, options, portal, log)));
  return [...results, ...failed];
}

async function sendOne(event: HoldEvent, label: string, type: string, options: Record<string, unknown>, portal: PortalPort, log: Logger): Promise<TestResult> {
  const result = (outcome: TestOutcome, note: string, values: Record<string, string> = {}): TestResult => ({ label, type, outcome, note, values });
  const factory = factoryFor(type);
  if (!factory) return result('failed', 'unknownType', { type });
  if (type === 'callCard') return result('skipped', 'callCard');
  const failure: { reason: string | null } = { reason: null };
  const context: OutputContext = { portal, log, label, now: Date.now, holdFailed: (_event, why) => void (failure.reason = why) };
  const started = performance.now();
  try {
    if (type === 'rest') {
      factory(options, context); // validates only: a real call would change data in the portal
      const params = fillTemplate(options.params ?? {}, templateValues(event));
      return result('described', 'rest', { method: String(options.method), params: JSON.stringify(params) });
    }
    const testOptions = type === 'webhook' ? { ...options, confirm: true, timeoutMs: WEBHOOK_TIMEOUT_MS } : options;
    const output = factory(testOptions, context);
    try {
      await output.send(event);
    } finally {
      output.dispose?.();
    }
  } catch (error) {
    return result('failed', 'error', { message: error instanceof Error ? error.message : String(error) });
  }
  if (failure.reason !== null) return result('failed', 'webhookFailed', { reason: failure.reason });
  const ms = String(Math.round(performance.now() - started));
  if (type === 'webhook') return result('delivered', 'webhook', { ms, url: String(options.url) });
  if (type === 'broadcast') return result('sent', 'broadcast', { channel: typeof options.channel === 'string' ? options.channel : 'b24-hold-relay' });
  return result('sent', type === 'log' ? 'log' : 'sent');
}
