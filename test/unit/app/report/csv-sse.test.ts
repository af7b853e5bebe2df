import { describe, expect, it } from 'vitest';
import { parseCsv, withOperatorNames } from '../../../../src/app/report/csv.ts';
import { createSseParser, type SseMessage } from '../../../../src/app/report/sse.ts';

describe('the CSV with operator names', () => {
  const server = '\uFEFFdate,userId,callId,phoneNumber\r\n2026-11-24,7,"a,1",\'+7916\r\n2026-11-24,9,"say ""hi""",\r\n';

  it('adds the operator after the user ID, keeps every other cell, and writes UTF-8 with a BOM and CRLF', () => {
    const out = withOperatorNames(server, (id) => ({ 7: 'Ольга Смирнова', 9: '=cmd' })[id] ?? null);
    expect(out.startsWith('\uFEFFdate,userId,operator,callId,phoneNumber\r\n')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(parseCsv(out)).toEqual([
      ['date', 'userId', 'operator', 'callId', 'phoneNumber'],
      ['2026-11-24', '7', 'Ольга Смирнова', 'a,1', "'+7916"],
      ['2026-11-24', '9', "'=cmd", 'say "hi"', ''],
    ]);
  });

  it('makes a name inert that hides a formula behind blanks or after a ; that Excel in ru or de splits on', () => {
    const names: Record<number, string> = { 7: ' =HYPERLINK("http://evil")', 9: 'Ivan;=cmd' };
    const rows = parseCsv(withOperatorNames(server, (id) => names[id] ?? null));
    expect(rows.slice(1).map((row) => row[2])).toEqual([`' =HYPERLINK("http://evil")`, "Ivan;'=cmd"]);
  });

  it('leaves the name empty for a user the portal does not know', () => {
    expect(parseCsv(withOperatorNames(server, () => null))[1]?.[2]).toBe('');
  });
});

describe('the event stream reader', () => {
  it('gives each complete message, split anywhere, comments and keepalives skipped', () => {
    const seen: SseMessage[] = [];
    const parser = createSseParser((message) => seen.push(message));
    for (const piece of [': keepalive\n\nevent: li', 've\ndata: {"holding":', '[]}\n', '\n', 'data: a\r\ndata: b\r\n\r\n']) parser.push(piece);
    expect(seen).toEqual([{ event: 'live', data: '{"holding":[]}' }, { event: 'message', data: 'a\nb' }]);
  });
});
