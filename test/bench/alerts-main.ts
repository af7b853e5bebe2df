// `npm run bench:alerts`: the hold alerts' delay alone (BENCH_ALERT_HOLDS, default 60). Needs a build.
import { alertRows, benchAlertDelay } from './alert-delay.ts';
import { formatTable } from './report.ts';

const holds = Number(process.env.BENCH_ALERT_HOLDS ?? 60);
if (!Number.isSafeInteger(holds) || holds < 1) {
  console.error(`BENCH_ALERT_HOLDS=${process.env.BENCH_ALERT_HOLDS} must be a whole number of at least 1`);
  process.exit(2);
}
const result = await benchAlertDelay({ holds, log: (line) => console.info(`alerts: ${line}`) });
console.info(`\n${formatTable(alertRows(result))}\n`);
