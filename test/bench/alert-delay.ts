// Hold alerts' delay: from the moment a hold crosses the threshold to the notification landing in
// the simulated portal. The real server and simulator, the app installed with its own credentials,
// a 1 s threshold; holds start as the worker's server output reports them, a few at a time, each
// with its own phone number so its alert can be told apart.
import { ADMIN, OPERATOR } from '../../src/simulator/rest-portal.ts';
import { installApp } from '../support/install-app.ts';
import { startStatsStack } from '../support/stats-stack.ts';
import type { Row } from './report.ts';
import { percentile } from './stats.ts';

export const ALERT_TARGET_P99_MS = 2000;
const THRESHOLD_S = 1;

export interface AlertDelay {
  holds: number;
  alerted: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function benchAlertDelay(options: { holds: number; log: (line: string) => void }): Promise<AlertDelay> {
  const stack = await startStatsStack({}, { credentials: true });
  try {
    await installApp(stack);
    const saved = await stack.api('/api/settings/alerts', {
      method: 'PUT',
      body: { holdAlertSec: THRESHOLD_S, supervisors: [ADMIN.id], onHangupWhileHeld: false, digest: null },
    });
    if (!saved.ok) throw new Error(`alert settings refused: ${await saved.text()}`);
    const operator = stack.tokenFor(OPERATOR.id);
    const started = new Map<string, number>();
    for (let i = 0; i < options.holds; i += 1) {
      const phone = `+4930100${String(i).padStart(4, '0')}`;
      const at = Date.now();
      started.set(phone, at);
      const event = {
        id: `bench-alert-${i}`,
        type: 'hold.started',
        timestamp: new Date(at).toISOString(),
        data: {
          held: true,
          callId: `bench-call-${i}`,
          phoneNumber: phone,
          lineNumber: null,
          direction: 'incoming',
          crmEntityType: null,
          crmEntityId: null,
          crmActivityId: null,
          holdSeq: 1,
        },
      };
      const sent = await stack.api('/api/events', { token: operator, body: { events: [event] } });
      if (!sent.ok) throw new Error(`hold ${i} refused: ${await sent.text()}`);
      // A hold every 150 ms: several are due in each of the server's passes, as in a busy call centre.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const deadline = Date.now() + 30_000;
    const delays = (): number[] =>
      stack.simulator.rest.notifications.flatMap((n) => {
        const phone = /\((\+\d+)\)/.exec(n.message)?.[1];
        const at = phone ? started.get(phone) : undefined;
        return at === undefined ? [] : [n.at - (at + THRESHOLD_S * 1000)];
      });
    while (delays().length < options.holds && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const all = delays();
    options.log(`${all.length} of ${options.holds} holds alerted`);
    return {
      holds: options.holds,
      alerted: all.length,
      p50Ms: Math.round(percentile(all, 50)),
      p99Ms: Math.round(percentile(all, 99)),
      maxMs: Math.round(Math.max(...all)),
    };
  } finally {
    await stack.close();
  }
}

export function alertRows(result: AlertDelay | null): Row[] {
  if (!result) return [];
  return [
    {
      figure: `alerts: holds alerted (of ${result.holds}, threshold ${THRESHOLD_S} s)`,
      ours: result.alerted,
      target: String(result.holds),
      met: result.alerted === result.holds,
    },
    { figure: 'alerts: delay p50 ms (threshold to notification)', ours: result.p50Ms },
    {
      figure: 'alerts: delay p99 ms (threshold to notification)',
      ours: result.p99Ms,
      baseline: `max ${result.maxMs} ms`,
      target: `< ${ALERT_TARGET_P99_MS}`,
      met: result.p99Ms < ALERT_TARGET_P99_MS && result.alerted === result.holds,
    },
  ];
}
