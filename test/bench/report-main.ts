// `npx tsx test/bench/report-main.ts` (after npm run build): the hold report's part of the bench on
// its own. BENCH_REPORT_HOLDS (100000), BENCH_REPORT_OPERATORS (50), BENCH_REPORT_ROUNDS (5),
// BENCH_REPORT_LIVE (20 holds timed from the click to "on hold now").
import { launchBrowser } from '../support/browser.ts';
import { formatReportFigures, measureReportPage } from './report-page.ts';

const setting = (name: string, fallback: number): number => Number(process.env[name] ?? fallback) || fallback;
const started = performance.now();
const log = (line: string): void =>
  console.info(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const browser = await launchBrowser('allowed');
try {
  const figures = await measureReportPage(browser, {
    holds: setting('BENCH_REPORT_HOLDS', 100_000),
    operators: setting('BENCH_REPORT_OPERATORS', 50),
    rounds: setting('BENCH_REPORT_ROUNDS', 5),
    liveRounds: setting('BENCH_REPORT_LIVE', 20),
    log,
  });
  console.info(`\n${formatReportFigures(figures)}\n`);
} finally {
  await browser.close();
}
