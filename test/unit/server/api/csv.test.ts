// The holds export never hands a spreadsheet a formula, however the cell hides it.
import { describe, expect, it } from 'vitest';
import { csvCell, holdsCsv } from '../../../../src/server/holds/holds-csv.ts';
import type { HoldRow } from '../../../../src/server/holds/holds-list.ts';
import { parseCsv } from '../../../support/csv.ts';

/** What a spreadsheet in a `;`-splitting locale would see as cells, each trimmed of the blanks it skips. */
const excelCellsOf = (cell: string): string[] => cell.split(/[;,]/).map((part) => part.replace(/^\s+/, ''));
const startsFormula = (cell: string): boolean => /^[=+\-@|%]/.test(cell);

describe('csvCell', () => {
  it('leaves ordinary text and numbers as they are', () => {
    expect(csvCell('CONTACT', true)).toBe('CONTACT');
    expect(csvCell('E45D40253D1C2D2F.1774588815.822533', true)).toBe('E45D40253D1C2D2F.1774588815.822533');
    expect(csvCell(41250)).toBe('41250');
    expect(csvCell(null, true)).toBe('');
  });

  it('neutralises a formula start right at the beginning, as before', () => {
    for (const text of ['=1+1', '+19001234567', '-2', '@SUM(A1)', '|cmd', '%0A'])
      expect(csvCell(text, true)).toBe(`'${text}`);
  });

  it('neutralises a formula after leading spaces, tabs or line breaks, which a spreadsheet skips', () => {
    for (const text of [' =1+1', '  +1', '\t=cmd', '\r=cmd', '\n=cmd', '\r\n @SUM(A1)', ' -2']) {
      const parsed = parseCsv(`${csvCell(text, true)}\r\n`)[0]?.[0] ?? '';
      expect(parsed, JSON.stringify(text)).toBe(`'${text}`);
    }
  });

  it('neutralises a formula that a ru or de Excel, splitting on ; or ,, would find after the separator', () => {
    for (const text of [
      'x;=HYPERLINK("http://evil","click")',
      'x,=1+1',
      'a; +1',
      'a;\t@SUM(A1)',
      '1;2;-3',
      'ok,;=cmd',
    ]) {
      const parsed = parseCsv(`${csvCell(text, true)}\r\n`)[0]?.[0] ?? '';
      expect(excelCellsOf(parsed).filter(startsFormula), JSON.stringify(text)).toEqual([]);
    }
    expect(csvCell('x;=1', true)).toBe("x;'=1");
    expect(csvCell('x, =1', true)).toBe(`"x, '=1"`);
  });

  it('leaves separators that start no formula alone', () => {
    expect(csvCell('a;b', true)).toBe('a;b');
    expect(csvCell('+7 (495) 123-45-67', true)).toBe("'+7 (495) 123-45-67");
  });

  it("trusts the server's own cells (dates, durations) as they are", () => {
    expect(csvCell('-1')).toBe('-1');
  });
});

describe('holdsCsv', () => {
  it('writes no phone number, call id, entity type or line that a spreadsheet would run', () => {
    const row: HoldRow = {
      callId: ' =cmd|" /C calc"!A0',
      userId: 7,
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: null,
      heldMs: null,
      endedBy: null,
      phoneNumber: '+1;=HYPERLINK("http://evil")',
      crmEntityType: '\n@SUM(1)',
      crmEntityId: 1,
      lineNumber: '=1+1',
      answeredAt: null,
      talkMs: null,
    };
    const [, cells = []] = parseCsv(holdsCsv([row], 'UTC'));
    for (const cell of [cells[8], cells[9], cells[10], cells[12]])
      expect(excelCellsOf(cell ?? '').filter(startsFormula), cell).toEqual([]);
  });

  const hold = (userId: number, callId: string, phoneNumber: string | null): HoldRow => ({
    callId,
    userId,
    startedAt: '2026-11-24T10:00:00.000Z',
    endedAt: '2026-11-24T10:00:30.000Z',
    heldMs: 30_000,
    endedBy: 'resume',
    phoneNumber,
    crmEntityType: null,
    crmEntityId: null,
    lineNumber: null,
    answeredAt: null,
    talkMs: null,
  });
  const rows = [hold(7, 'a,1', '+7916'), hold(9, 'say "hi"', null)];

  it('puts the operator after the user ID, keeps every other cell, and writes UTF-8 with a BOM and CRLF', () => {
    const out = holdsCsv(rows, 'UTC', (id) => ({ 7: 'Ольга Смирнова', 9: '=cmd' })[id] ?? null);
    expect(
      out.startsWith(
        '\uFEFFdate,startedAt,endedAt,heldSeconds,heldMs,endedBy,userId,operator,callId,phoneNumber,crmEntityType,crmEntityId,lineNumber,answeredAt,talkMs\r\n',
      ),
    ).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(
      parseCsv(out.slice(1))
        .slice(1)
        .map((cells) => cells.slice(6, 10)),
    ).toEqual([
      ['7', 'Ольга Смирнова', 'a,1', "'+7916"],
      ['9', "'=cmd", 'say "hi"', ''],
    ]);
  });

  it('makes a name inert that hides a formula behind blanks or after a ; that Excel in ru or de splits on', () => {
    const names: Record<number, string> = { 7: ' =HYPERLINK("http://evil")', 9: 'Ivan;=cmd' };
    const cells = parseCsv(holdsCsv(rows, 'UTC', (id) => names[id] ?? null).slice(1))
      .slice(1)
      .map((row) => row[7]);
    expect(cells).toEqual([`' =HYPERLINK("http://evil")`, "Ivan;'=cmd"]);
  });

  it('leaves the name empty for a user the portal does not know, and when the portal gave no names', () => {
    expect(
      parseCsv(holdsCsv(rows, 'UTC', (id) => (id === 7 ? 'Anna' : null)).slice(1))
        .slice(1)
        .map((row) => row[7]),
    ).toEqual(['Anna', '']);
    expect(
      parseCsv(holdsCsv(rows, 'UTC').slice(1))
        .slice(1)
        .map((row) => row[7]),
    ).toEqual(['', '']);
  });

  it("writes each hold's line and its call's answer time and talk time, empty while unknown", () => {
    const base = {
      userId: 7,
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: '2026-11-24T10:00:09.000Z',
      heldMs: 9000,
      endedBy: 'resume' as const,
      phoneNumber: null,
      crmEntityType: null,
      crmEntityId: null,
    };
    const rows: HoldRow[] = [
      { ...base, callId: 'c1', lineNumber: 'sales', answeredAt: '2026-11-24T09:59:00.000Z', talkMs: 120_000 },
      { ...base, callId: 'c2', lineNumber: null, answeredAt: null, talkMs: null },
    ];
    const [header = [], first = [], second = []] = parseCsv(holdsCsv(rows, 'UTC'));
    expect(header.slice(12)).toEqual(['lineNumber', 'answeredAt', 'talkMs']);
    expect(first.slice(12)).toEqual(['sales', '2026-11-24T09:59:00.000Z', '120000']);
    expect(second.slice(12)).toEqual(['', '', '']);
  });
});
