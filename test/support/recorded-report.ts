// Answers of the report API for one day of two operators on two lines, in the shape of CONTRACT.md
// ("Talk time and lines"), and a fetch that gives them as the server would: narrowed by `lineNumber`,
// recording every URL asked for. Operator 7 took three calls on the sales line (one whose talk time
// is unknown), operator 8 two on the support line (a customer hung up while held).
import type { Report } from '../../src/app/report/report-answer.ts';

export const RECORDED_AT = Date.parse('2026-11-24T15:00:00Z');
const PERIOD = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', tz: 'UTC' };
const ACCURACY = { absMs: 1000, relative: 0.05 } as const;

const ANNA = {
  userId: 7,
  calls: 3,
  callsWithHolds: 2,
  holds: 2,
  heldMs: 50_000,
  avgHeldMs: 25_000,
  longestHeldMs: 30_000,
  endedWithCall: 0,
  talkMs: 400_000,
  holdShare: 0.125,
  medianHeldMs: 25_000,
  p90HeldMs: 30_000,
  callsWithoutTalk: 1,
};
const BORIS = {
  userId: 8,
  calls: 2,
  callsWithHolds: 1,
  holds: 1,
  heldMs: 30_000,
  avgHeldMs: 30_000,
  longestHeldMs: 30_000,
  endedWithCall: 1,
  talkMs: 120_000,
  holdShare: 0.25,
  medianHeldMs: 30_000,
  p90HeldMs: 30_000,
  callsWithoutTalk: 0,
};
const SALES = {
  lineNumber: 'reg151083',
  calls: 3,
  holds: 2,
  heldMs: 50_000,
  avgHeldMs: 25_000,
  endedWithCall: 0,
  talkMs: 400_000,
  holdShare: 0.125,
  medianHeldMs: 25_000,
  p90HeldMs: 30_000,
  callsWithoutTalk: 1,
};
const SUPPORT = {
  lineNumber: 'reg2002',
  calls: 2,
  holds: 1,
  heldMs: 30_000,
  avgHeldMs: 30_000,
  endedWithCall: 1,
  talkMs: 120_000,
  holdShare: 0.25,
  medianHeldMs: 30_000,
  p90HeldMs: 30_000,
  callsWithoutTalk: 0,
};

const { userId: _anna, ...annaFigures } = ANNA;
const { userId: _boris, ...borisFigures } = BORIS;

export const REPORTS: Record<'all' | 'reg151083' | 'reg2002', Report> = {
  all: {
    period: PERIOD,
    lineNumber: null,
    totals: {
      calls: 5,
      callsWithHolds: 3,
      holds: 3,
      heldMs: 80_000,
      avgHeldMs: 26_667,
      longestHeldMs: 30_000,
      endedWithCall: 1,
      talkMs: 520_000,
      holdShare: 0.1538,
      medianHeldMs: 30_000,
      p90HeldMs: 30_000,
      callsWithoutTalk: 1,
    },
    operators: [ANNA, BORIS],
    lines: [SALES, SUPPORT],
    days: [{ date: '2026-11-24', holds: 3, heldMs: 80_000 }],
    hours: [
      { hour: '2026-11-24T10', holds: 2, heldMs: 50_000 },
      { hour: '2026-11-24T11', holds: 1, heldMs: 30_000 },
    ],
    quantileAccuracy: ACCURACY,
  },
  reg151083: {
    period: PERIOD,
    lineNumber: 'reg151083',
    totals: annaFigures,
    operators: [ANNA],
    lines: [SALES],
    days: [{ date: '2026-11-24', holds: 2, heldMs: 50_000 }],
    hours: [{ hour: '2026-11-24T10', holds: 2, heldMs: 50_000 }],
    quantileAccuracy: ACCURACY,
  },
  reg2002: {
    period: PERIOD,
    lineNumber: 'reg2002',
    totals: borisFigures,
    operators: [BORIS],
    lines: [SUPPORT],
    days: [{ date: '2026-11-24', holds: 1, heldMs: 30_000 }],
    hours: [{ hour: '2026-11-24T11', holds: 1, heldMs: 30_000 }],
    quantileAccuracy: ACCURACY,
  },
};

const hold = (
  callId: string,
  userId: number,
  lineNumber: string,
  startedAt: string,
  heldMs: number,
  endedBy: 'resume' | 'hangup',
  talkMs: number,
) => ({
  callId,
  userId,
  startedAt,
  endedAt: new Date(Date.parse(startedAt) + heldMs).toISOString(),
  heldMs,
  endedBy,
  phoneNumber: '+19001234567',
  crmEntityType: 'CONTACT',
  crmEntityId: 123,
  lineNumber,
  answeredAt: new Date(Date.parse(startedAt) - 60_000).toISOString(),
  talkMs,
});
const HOLDS = {
  reg151083: [
    hold('A1', 7, 'reg151083', '2026-11-24T10:05:00.000Z', 30_000, 'resume', 250_000),
    hold('A2', 7, 'reg151083', '2026-11-24T10:20:00.000Z', 20_000, 'resume', 150_000),
  ],
  reg2002: [hold('B1', 8, 'reg2002', '2026-11-24T11:00:00.000Z', 30_000, 'hangup', 120_000)],
};

const CSV_HEADER = 'callId,userId,startedAt,heldMs,lineNumber,talkMs';

/** A fetch answering the report API from the recorded answers; `asked` lists every URL, in order. */
export function recordedReportFetch(): { fetch: typeof fetch; asked: URL[] } {
  const asked: URL[] = [];
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const answer = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    asked.push(url);
    const line = url.searchParams.get('lineNumber');
    const lines = line === null ? (['reg151083', 'reg2002'] as const) : ([line] as const);
    const path = url.pathname.replace(/^\/api\//, '');
    if (path === 'status') return json({ stats: true });
    const report = REPORTS[(line ?? 'all') as keyof typeof REPORTS] as Report | undefined;
    if (path === 'report' && report) return json(report);
    if (path === 'report/holds') return json({ holds: lines.flatMap((l) => HOLDS[l as keyof typeof HOLDS] ?? []) });
    if (path === 'report/holds.csv') {
      const rows = lines.flatMap((l) =>
        (HOLDS[l as keyof typeof HOLDS] ?? []).map((h) =>
          [h.callId, h.userId, h.startedAt, h.heldMs, l, h.talkMs].join(','),
        ),
      );
      const headers = { 'content-type': 'text/csv; charset=utf-8', 'x-hold-count': String(rows.length) };
      return new Response(`\uFEFF${[CSV_HEADER, ...rows].join('\r\n')}\r\n`, { status: 200, headers });
    }
    // The live stream is not followed in these tests (the panel shows it is down); a line no call had is unknown.
    return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
  };
  return { fetch: answer as typeof fetch, asked };
}
