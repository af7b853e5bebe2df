// @vitest-environment node
// The API end to end against the real server, database and simulated portal: events in, reports out.
import { describe, expect, it } from 'vitest';
import { holdEvents, summaryEvent } from '../../../support/hold-events.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';
import { parseCsv } from '../../../support/csv.ts';

const logLines: string[] = [];
const stack = useStatsStack({}, { log: (line) => logLines.push(line) });
const DAY = 86_400_000;
const day0 = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
const at = (days: number, hhmm: string) =>
  new Date(day0 + days * DAY + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000).toISOString();
const date = (days: number) => new Date(day0 + days * DAY).toISOString().slice(0, 10);
const period = `from=${at(0, '00:00')}&to=${at(3, '00:00')}`;
/** Anna's call alone has a known talk time: 400 s, with 40 s held; Boris's two are counted apart. */
const ALL_TALK = { talkMs: 400_000, holdShare: 0.1, callsWithoutTalk: 2, medianHeldMs: 20_000, p90HeldMs: 28_000 };

const anna = [
  ...holdEvents({ callId: 'a1', seq: 1, start: at(0, '10:00'), heldMs: 10_000 }),
  ...holdEvents({
    callId: 'a1',
    seq: 2,
    start: at(0, '20:00'),
    heldMs: 30_000,
    endedBy: 'hangup',
    phoneNumber: '=HYPERLINK("http://x","звонок")',
  }),
  summaryEvent('a1', at(0, '20:01'), 2, { answeredAt: at(0, '09:59'), talkMs: 400_000 }),
];
const boris = [
  ...holdEvents({ callId: 'b1', start: at(1, '08:00'), heldMs: 20_000, endedBy: 'close' }),
  holdEvents({ callId: 'b2', start: at(2, '08:00'), heldMs: 0 })[0],
];

describe('POST /api/events', () => {
  it('stores a batch, and the same batch from a second frame as duplicates', async () => {
    const send = (events: unknown[], token: string) => stack.api('/api/events', { token, body: { events } });
    const annaToken = stack.tokenFor(7);
    expect(await (await send(anna, annaToken)).json()).toEqual({ stored: 5, duplicates: 0 });
    expect(await (await send(anna, annaToken)).json()).toEqual({ stored: 0, duplicates: 5 });
    const res = await send([...boris].reverse(), stack.tokenFor(8));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 3, duplicates: 0 });
  });

  it('names the first bad field with 400', async () => {
    const token = stack.tokenFor(7);
    const events = holdEvents({ callId: 'bad', start: at(0, '09:00'), heldMs: 1 });
    const bad = [...events, { ...events[0], id: 'y' }, { ...events[0], id: 'x', type: 'hold.paused' }];
    const check = async (body: unknown, field: string) => {
      const res = await stack.api('/api/events', { token, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: expect.stringContaining(field), field });
    };
    await check({ events: bad }, 'events[3].type');
    const { heldMs: _dropped, ...noHeldMs } = events[1].data as Record<string, unknown>;
    await check({ events: [{ ...events[1], data: noHeldMs }] }, 'events[0].data.heldMs');
    await check({ events: [{ ...events[0], timestamp: 'yesterday' }] }, 'events[0].timestamp');
    await check(
      { events: [{ ...events[0], timestamp: new Date(Date.now() + 3600_000).toISOString() }] },
      'events[0].timestamp',
    );
    await check({ batch: [] }, 'events');
    const notJson = await stack.api('/api/events', { token, body: '{"events": [' });
    expect(notJson.status).toBe(400);
  });

  it('refuses more than 100 events, or more than 256 kB, with 413', async () => {
    const token = stack.tokenFor(7);
    const [one] = holdEvents({ callId: 'many', start: at(0, '09:00'), heldMs: 1 });
    const many = Array.from({ length: 101 }, (_, i) => ({ ...one, id: `many-${i}` }));
    expect((await stack.api('/api/events', { token, body: { events: many } })).status).toBe(413);
    const huge = { events: [{ ...one, data: { ...one.data, padding: 'x'.repeat(300 * 1024) } }] };
    const res = await stack.api('/api/events', { token, body: huge });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('256 kB') });
  });
});

describe('reports', () => {
  it('gives exact totals, operators and days for a known set of events', async () => {
    const res = await stack.api(`/api/report?${period}&tz=UTC`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      period: { from: at(0, '00:00'), to: at(3, '00:00'), tz: 'UTC' },
      lineNumber: null,
      quantileAccuracy: { absMs: 1000, relative: 0.05 },
      totals: {
        calls: 3,
        callsWithHolds: 3,
        holds: 4,
        heldMs: 60_000,
        avgHeldMs: 20_000,
        longestHeldMs: 30_000,
        endedWithCall: 2,
        ...ALL_TALK,
      },
      operators: [
        {
          userId: 7,
          calls: 1,
          callsWithHolds: 1,
          holds: 2,
          heldMs: 40_000,
          avgHeldMs: 20_000,
          longestHeldMs: 30_000,
          endedWithCall: 1,
          talkMs: 400_000,
          holdShare: 0.1,
          callsWithoutTalk: 0,
          medianHeldMs: 20_000,
          p90HeldMs: 28_000,
        },
        {
          userId: 8,
          calls: 2,
          callsWithHolds: 2,
          holds: 2,
          heldMs: 20_000,
          avgHeldMs: 20_000,
          longestHeldMs: 20_000,
          endedWithCall: 1,
          talkMs: 0,
          holdShare: null,
          callsWithoutTalk: 2,
          medianHeldMs: 20_000,
          p90HeldMs: 20_000,
        },
      ],
      lines: [
        {
          lineNumber: 'reg151083',
          calls: 3,
          holds: 4,
          heldMs: 60_000,
          avgHeldMs: 20_000,
          endedWithCall: 2,
          ...ALL_TALK,
        },
      ],
      days: [
        { date: date(0), holds: 2, heldMs: 40_000 },
        { date: date(1), holds: 1, heldMs: 20_000 },
        { date: date(2), holds: 1, heldMs: 0 },
      ],
    });
  });

  it('counts days in the zone asked for', async () => {
    const report = await (await stack.api(`/api/report?${period}&tz=Asia/Tokyo`)).json();
    expect(report.days).toEqual([
      { date: date(0), holds: 1, heldMs: 10_000 },
      { date: date(1), holds: 2, heldMs: 50_000 },
      { date: date(2), holds: 1, heldMs: 0 },
    ]);
    const bad = await stack.api(`/api/report?${period}&tz=Mars/Olympus`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'tz' });
  });

  it('gives per-hour figures in the zone asked for with by=hour, for periods up to 31 days', async () => {
    const report = await (await stack.api(`/api/report?${period}&tz=Asia/Tokyo&by=hour`)).json();
    expect(report.hours).toEqual([
      { hour: `${date(0)}T19`, holds: 1, heldMs: 10_000 },
      { hour: `${date(1)}T05`, holds: 1, heldMs: 30_000 },
      { hour: `${date(1)}T17`, holds: 1, heldMs: 20_000 },
      { hour: `${date(2)}T17`, holds: 1, heldMs: 0 },
    ]);
    expect(report.days).toHaveLength(3);
    expect(await (await stack.api(`/api/report?${period}`)).json()).not.toHaveProperty('hours');
    const long = await stack.api(`/api/report?from=${at(-30, '00:00')}&to=${at(3, '00:00')}&by=hour`);
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ field: 'by' });
    expect(await (await stack.api(`/api/report?${period}&by=minute`)).json()).toMatchObject({ field: 'by' });
  });

  it('lists holds for an admin as asked, and for anyone else only their own', async () => {
    const list = async (query: string, token?: string) =>
      (await (await stack.api(`/api/report/holds?${period}&${query}`, { token })).json()).holds;
    expect((await list('sort=longest')).map((h: { heldMs: number }) => h.heldMs)).toEqual([
      30_000,
      20_000,
      10_000,
      null,
    ]);
    expect((await list('userId=8&sort=recent&limit=1')).map((h: { callId: string }) => h.callId)).toEqual(['b2']);
    const own = await list('userId=8', stack.tokenFor(7));
    expect(own.map((h: { userId: number }) => h.userId)).toEqual([7, 7]);
    expect(own[0]).toEqual({
      callId: 'a1',
      userId: 7,
      startedAt: at(0, '20:00'),
      endedAt: new Date(Date.parse(at(0, '20:00')) + 30_000).toISOString(),
      heldMs: 30_000,
      endedBy: 'hangup',
      phoneNumber: '=HYPERLINK("http://x","звонок")',
      crmEntityType: 'CONTACT',
      crmEntityId: 123,
      lineNumber: 'reg151083',
      answeredAt: at(0, '09:59'),
      talkMs: 400_000,
    });
    expect((await stack.api(`/api/report/holds?limit=1001`)).status).toBe(400);
  });

  it('exports a CSV that parses back, opens in Excel as UTF-8, names the operators and runs no formula', async () => {
    const res = await stack.api(`/api/report/holds.csv?${period}&tz=UTC`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('x-operator-names')).toBe('included');
    expect(res.headers.get('x-hold-count')).toBe('4');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder('utf-8').decode(bytes));
    expect(rows[0]).toEqual([
      'date',
      'startedAt',
      'endedAt',
      'heldSeconds',
      'heldMs',
      'endedBy',
      'userId',
      'operator',
      'callId',
      'phoneNumber',
      'crmEntityType',
      'crmEntityId',
      'lineNumber',
      'answeredAt',
      'talkMs',
    ]);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual([
      date(2),
      at(2, '08:00'),
      '',
      '',
      '',
      '',
      '8',
      'Boris Petrov',
      'b2',
      "'+19001234567",
      'CONTACT',
      '123',
      'reg151083',
      '',
      '',
    ]);
    expect(rows.find((r) => r[4] === '30000')?.slice(12)).toEqual(['reg151083', at(0, '09:59'), '400000']);
    expect(rows.find((r) => r[4] === '30000')?.slice(6, 10)).toEqual([
      '7',
      'Anna Operator',
      'a1',
      '\'=HYPERLINK("http://x","звонок")',
    ]);
  });

  it("asks the portal for the names once, with the caller's own token, and gives anyone else only their own holds with their name", async () => {
    const asked = () => stack.simulator.rest.calls.filter((call) => call.method === 'user.get');
    const before = asked().length;
    const own = parseCsv(
      (await (await stack.api(`/api/report/holds.csv?${period}&tz=UTC`, { token: stack.tokenFor(7) })).text()).slice(1),
    );
    expect(own.slice(1).map((row) => [row[6], row[7]])).toEqual([
      ['7', 'Anna Operator'],
      ['7', 'Anna Operator'],
    ]);
    expect(
      asked()
        .slice(before)
        .map((call) => [call.userId, call.params.filter]),
    ).toEqual([[7, { '@ID': [7] }]]);
  });

  it('still exports every hold, with user ids, when the portal gives no names, and says so in a header and a log line', async () => {
    const token = stack.tokenFor(1);
    expect((await stack.api(`/api/report/holds?${period}`, { token })).status).toBe(200);
    // The server trusts its answer about the token for a few seconds more; the portal already refuses it.
    stack.simulator.rest.revoke(token);
    const res = await stack.api(`/api/report/holds.csv?${period}&tz=UTC`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-operator-names')).toBe('unavailable');
    const rows = parseCsv((await res.text()).slice(1));
    expect(
      rows
        .slice(1)
        .map((row) => [row[6], row[7]])
        .sort(),
    ).toEqual([
      ['7', ''],
      ['7', ''],
      ['8', ''],
      ['8', ''],
    ]);
    const line = logLines.find((l) => l.includes('without operator names'));
    expect(line).toMatch(
      /ERROR report: the holds CSV of .* goes without operator names \(user ids only\): user\.get: \w+/,
    );
    expect(line).not.toContain(token);
  });

  it('narrows every report endpoint to the line asked for', async () => {
    const json = async (path: string) => (await stack.api(path)).json();
    const whole = await json(`/api/report?${period}&tz=UTC`);
    expect(await json(`/api/report?${period}&tz=UTC&lineNumber=reg151083`)).toEqual({
      ...whole,
      lineNumber: 'reg151083',
    });
    const elsewhere = await json(
      `/api/report?${period}&tz=UTC&lineNumber=${encodeURIComponent('sales line 2')}&by=hour`,
    );
    expect(elsewhere).toMatchObject({ lineNumber: 'sales line 2', operators: [], lines: [], days: [], hours: [] });
    expect(elsewhere.totals).toMatchObject({
      calls: 0,
      holds: 0,
      heldMs: 0,
      talkMs: 0,
      holdShare: null,
      medianHeldMs: null,
    });
    expect((await json(`/api/report/holds?${period}&lineNumber=reg151083`)).holds).toHaveLength(4);
    expect((await json(`/api/report/holds?${period}&lineNumber=elsewhere`)).holds).toEqual([]);
    expect(
      parseCsv(await (await stack.api(`/api/report/holds.csv?${period}&lineNumber=elsewhere`)).text()),
    ).toHaveLength(1);
  });

  it('refuses a line number longer than 200 characters or with a control character, naming the field, on every report endpoint', async () => {
    for (const endpoint of ['/api/report', '/api/report/holds', '/api/report/holds.csv']) {
      for (const line of ['7'.repeat(201), 'sales\nline', 'a\u0000b']) {
        const res = await stack.api(`${endpoint}?${period}&lineNumber=${encodeURIComponent(line)}`);
        expect(res.status, `${endpoint} ${JSON.stringify(line)}`).toBe(400);
        expect(await res.json()).toEqual({ error: expect.stringContaining('lineNumber'), field: 'lineNumber' });
      }
    }
    expect((await stack.api(`/api/report?${period}&lineNumber=${'7'.repeat(200)}`)).status).toBe(200);
  });

  it("deletes all of the portal's statistics for an admin", async () => {
    const res = await stack.api('/api/report/data', { method: 'DELETE' });
    expect(await res.json()).toEqual({
      deleted: { events: 8, holds: 4, calls: 3, placementErrors: 0, webhookDeliveries: 0 },
    });
    const report = await (await stack.api(`/api/report?${period}`)).json();
    expect(report.totals).toMatchObject({ calls: 0, holds: 0 });
  });
});
