// The admin's report view mounted in a DOM (happy-dom), its API answered by the recorded report
// answers (recorded-report.ts) and its names by the simulated portal's REST, called in process.
import { vi } from 'vitest';
import type { AppPortal } from '../../src/app/app-connection.ts';
import { createDirectory } from '../../src/app/report/operators.ts';
import { createReportApi } from '../../src/app/report/report-api.ts';
import { reportView, type ReportView } from '../../src/app/report/report-view.ts';
import { textsFor } from '../../src/app/i18n/index.ts';
import type { RestAnswer } from '../../src/portal/types.ts';
import { RestPortal, USERS } from '../../src/simulator/rest-portal.ts';
import { recordingPortal } from './fixtures.ts';
import { RECORDED_AT, recordedReportFetch } from './recorded-report.ts';

export interface MountedReport {
  view: ReportView;
  /** Every URL the page asked the report API for, in order. */
  asked: URL[];
  byTestId<T extends HTMLElement = HTMLElement>(id: string): T;
  all(selector: string): HTMLElement[];
  /** Resolves once the report shows an answer (a choice starts its load at once, so wait after choosing). */
  ready(): Promise<void>;
}

function simulatedRest(): (method: string, params?: Record<string, unknown>) => Promise<RestAnswer> {
  const portal = new RestPortal();
  const token = portal.grant(USERS[0] ?? { id: 1, name: 'A', isAdmin: true }).AUTH_ID;
  const call = (
    portal as unknown as {
      call(m: string, p: Record<string, unknown>, a: string): { status: number; body: Record<string, unknown> };
    }
  ).call.bind(portal);
  return async (method, params = {}) => {
    const answer = call(method, params, token);
    return 'result' in answer.body
      ? { ok: true, result: answer.body.result }
      : { ok: false, error: String(answer.body.error), description: '', status: answer.status };
  };
}

export function mountReport(lang = 'en'): MountedReport {
  const { fetch, asked } = recordedReportFetch();
  const rest = simulatedRest();
  const portal: AppPortal = {
    session: {
      lang,
      domain: 'example.bitrix24.com',
      origin: 'https://example.bitrix24.com',
      memberId: 'member-1',
      isAdmin: true,
      install: false,
      placement: 'DEFAULT',
      appOptions: { holdRelay: JSON.stringify({ outputs: [{ type: 'server' }] }) },
    },
    rest,
    operatorToken: async () => 'token',
    installFinish: () => undefined,
    openPath: () => undefined,
    selectUsers: async () => [],
    outputPortal: () => recordingPortal(),
    dispose: () => undefined,
  };
  const api = createReportApi({
    base: 'https://relay.example.com/api/',
    domain: portal.session.domain,
    token: async () => 'token',
    fetch,
  });
  const view = reportView({
    portal,
    api,
    directory: createDirectory(rest),
    t: textsFor(lang).report,
    lang,
    tz: 'UTC',
    onOptionChanged: () => undefined,
    now: () => RECORDED_AT,
  });
  document.body.replaceChildren(view.element);
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T => {
    const found = view.element.querySelector<T>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`the report has no [data-testid="${id}"]`);
    return found;
  };
  return {
    view,
    asked,
    byTestId,
    all: (selector) => [...view.element.querySelectorAll<HTMLElement>(selector)],
    ready: () =>
      vi.waitFor(() => {
        if (view.element.dataset.state !== 'ready')
          throw new Error(`the report is ${view.element.dataset.state ?? 'starting'}`);
      }),
  };
}
