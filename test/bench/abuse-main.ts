// The abuse run alone: slowloris, slow bodies and idle connections against the production server,
// with /healthz polled throughout. Prints the figures and writes bench-results/abuse.json.
// Usage: tsx test/bench/abuse-main.ts [--seconds 20] [--idle 5000] [--dist dist]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runAbuse } from './abuse.ts';
import { abuseVerdicts } from './abuse-figures.ts';
import { DEFAULT_DIST, requireBuiltDist, RESULTS_DIR } from './cli.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    idle: { type: 'string', default: '5000' },
    dist: { type: 'string', default: DEFAULT_DIST },
  },
});
const seconds = Number(values.seconds);
const idle = Number(values.idle);
if (!(seconds > 0 && seconds <= 600) || !Number.isInteger(idle) || idle < 0 || idle > 20_000) {
  console.error('--seconds must be from 1 to 600 and --idle a whole number up to 20000');
  process.exit(2);
}
const distDir = requireBuiltDist(values.dist);

const result = await runAbuse({ distDir, seconds, idle, log: (line) => console.info(line) });
console.info(JSON.stringify(result, null, 2));
for (const line of abuseVerdicts(result)) console.info(line);
const outDir = RESULTS_DIR;
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'abuse.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...result }, null, 2)}\n`,
);
console.info(`wrote ${join(outDir, 'abuse.json')}`);
