import { describe, expect, it } from 'vitest';
import { createReportApi } from '../../../../src/app/report/report-api.ts';
import type { ReportPeriod } from '../../../../src/app/report/period.ts';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', tz: 'UTC' } as ReportPeriod;
const CSV = '\uFEFFdate,userId,operator\r\n2026-11-24,7,Ольга\r\n';

/** The report API over `answer`, recording each request's URL and headers. */
function apiAnswering(answer: () => Response) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetcher = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(input), headers: init?.headers as Record<string, string> });
    return answer();
  };
  const api = createReportApi({
    base: 'https://relay.example.com/api/',
    domain: 'portal.example.com',
    token: async () => 'token-abc',
    fetch: fetcher as typeof fetch,
  });
  return { api, requests };
}

describe('the CSV download', () => {
  it("asks with the user's token and keeps the file byte for byte, with its hold count, when the names came", async () => {
    const { api, requests } = apiAnswering(
      () =>
        new Response(CSV, {
          headers: { 'content-type': 'text/csv; charset=utf-8', 'x-hold-count': '1', 'x-operator-names': 'included' },
        }),
    );
    const csv = await api.csv(period);
    expect(new Uint8Array(await csv.file.arrayBuffer())).toEqual(new TextEncoder().encode(CSV));
    expect(csv).toMatchObject({ holds: 1, named: true });
    expect(requests[0]?.url).toBe(
      `https://relay.example.com/api/report/holds.csv?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}&tz=UTC`,
    );
    expect(requests[0]?.headers).toMatchObject({
      Authorization: 'Bearer token-abc',
      'X-Portal-Domain': 'portal.example.com',
      Accept: 'text/csv',
    });
  });

  it("tells the page when the server could not get the operators' names", async () => {
    const { api } = apiAnswering(
      () => new Response(CSV, { headers: { 'x-hold-count': '1', 'x-operator-names': 'unavailable' } }),
    );
    expect(await api.csv(period)).toMatchObject({ holds: 1, named: false });
  });
});
