// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvFileName } from '../../../../src/app/report/csv-export.ts';
import { mountReport, type MountedReport } from '../../../support/report-page.ts';
import { REPORTS } from '../../../support/recorded-report.ts';

const choose = (report: MountedReport, line: string) => {
  const picker = report.byTestId<HTMLSelectElement>('line-picker');
  picker.value = line;
  picker.dispatchEvent(new Event('change'));
};
const figures = (report: MountedReport) =>
  Object.fromEntries(
    report.all('[data-testid^="tile-"][data-value]').map((tile) => [tile.dataset.testid?.slice(5), tile.dataset.value]),
  );
const raw = (totals: object) => Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, String(value)]));
const pathOf = (url: URL) => url.pathname.replace('/api/', '');

describe('the line picker', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('offers every line the report names, all lines first', async () => {
    const report = mountReport();
    await report.ready();
    const picker = report.byTestId<HTMLSelectElement>('line-picker');
    expect([...picker.options].map((option) => [option.value, option.textContent])).toEqual([
      ['', 'All lines'],
      ['reg151083', 'reg151083'],
      ['reg2002', 'reg2002'],
    ]);
    expect(picker.closest<HTMLElement>('.line-choice')?.hidden).toBe(false);
    expect(figures(report)).toEqual(raw(REPORTS.all.totals));
    expect(report.asked.every((url) => !url.searchParams.has('lineNumber'))).toBe(true);
  });

  it('narrows every request and every figure of the page to the line chosen, and keeps the other line on offer', async () => {
    const report = mountReport();
    await report.ready();
    const before = report.asked.length;
    choose(report, 'reg2002');
    await report.ready();
    await vi.waitFor(() => expect(report.asked.slice(before).map(pathOf).sort()).toEqual(['report', 'report/holds']));
    const asked = report.asked.slice(before);
    expect(asked.map((url) => url.searchParams.get('lineNumber'))).toEqual(asked.map(() => 'reg2002'));

    expect(figures(report)).toEqual(raw(REPORTS.reg2002.totals));
    expect(report.all('[data-testid="operator-table"] tbody tr').map((tr) => tr.dataset.userId)).toEqual(['8']);
    expect(report.all('[data-testid="line-table"] tbody tr').map((tr) => tr.dataset.line)).toEqual(['reg2002']);
    expect(report.all('[data-testid="hold-row"]').map((tr) => tr.dataset.userId)).toEqual(['8']);
    expect(report.view.element.dataset.line).toBe('reg2002');
    expect(report.byTestId('report-status').textContent).toBe('Report for 2026-11-24, line reg2002.');
    expect([...report.byTestId<HTMLSelectElement>('line-picker').options].map((option) => option.value)).toEqual([
      '',
      'reg151083',
      'reg2002',
    ]);

    choose(report, '');
    await report.ready();
    expect(figures(report)).toEqual(raw(REPORTS.all.totals));
    expect(report.asked.at(-1)?.searchParams.has('lineNumber')).toBe(false);
  });

  it('narrows the report to a line pressed in the line table', async () => {
    const report = mountReport();
    await report.ready();
    report.all('[data-testid="line-table"] tr[data-line="reg151083"] [data-testid="line-pick"]')[0]?.click();
    await report.ready();
    expect(report.byTestId<HTMLSelectElement>('line-picker').value).toBe('reg151083');
    expect(figures(report)).toEqual(raw(REPORTS.reg151083.totals));
  });

  it('narrows the operator’s holds picked from the table and the CSV export to the line', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:report';
    });
    const report = mountReport();
    await report.ready();
    choose(report, 'reg151083');
    await report.ready();
    report.all('[data-testid="operator-table"] tbody tr[data-user-id="7"] button.person')[0]?.click();
    await vi.waitFor(() => expect(report.byTestId('holds-section').dataset.userId).toBe('7'));
    const holds = report.asked.filter((url) => pathOf(url) === 'report/holds').at(-1);
    expect([holds?.searchParams.get('userId'), holds?.searchParams.get('lineNumber')]).toEqual(['7', 'reg151083']);
    expect(report.all('[data-testid="hold-row"] td[data-col="talkMs"]').map((td) => td.textContent)).toEqual([
      '4:10',
      '2:30',
    ]);

    report.byTestId('export-csv').click();
    await vi.waitFor(() =>
      expect(report.byTestId('report-status').textContent).toBe('Saved holds-2026-11-24-reg151083.csv (2 holds).'),
    );
    expect(
      report.asked.filter((url) => pathOf(url) === 'report/holds.csv').map((url) => url.searchParams.get('lineNumber')),
    ).toEqual(['reg151083']);
    expect(created).toHaveLength(1);
  });

  it('names the export after the period and the line, the line made safe for a file name', () => {
    const period = { from: '', to: '', tz: 'UTC', first: '2026-11-01', last: '2026-11-07', hourly: false };
    expect(csvFileName(period, null)).toBe('holds-2026-11-01-2026-11-07.csv');
    expect(csvFileName(period, 'sip/../7 1')).toBe('holds-2026-11-01-2026-11-07-sip_.._7_1.csv');
  });
});
