// `tsx test/tools/run-parallel.ts [--lead <script>] <script> ...`: runs npm scripts side by side,
// then prints each one's output whole, in the order named, so nothing interleaves. With --lead, that
// script runs at normal priority with its output shown as it comes, and the others at the lowest
// (nice 19), so they take only the CPU it leaves idle: the end-to-end tests wait on Chromium and the
// servers about a third of the time, enough for the type check, lint and Prettier. Exits with the
// lead's code when it failed, else with the first failing script's, after all have finished.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals: scripts } = parseArgs({
  options: { lead: { type: 'string' } },
  allowPositionals: true,
});
const lead = values.lead;
if (scripts.length === 0 && !lead) {
  console.error('usage: tsx test/tools/run-parallel.ts [--lead <npm script>] <npm script> [<npm script> ...]');
  process.exit(2);
}

interface Outcome {
  script: string;
  code: number;
  output: string;
  seconds: number;
}

/** Runs `npm run <script>`: shown as it comes when `live`, else kept for later; niced when `low`. */
function run(script: string, live: boolean, low: boolean): Promise<Outcome> {
  const started = performance.now();
  const npm = ['npm', 'run', '-s', script];
  const [command, ...args] = low ? ['nice', '-n', '19', ...npm] : npm;
  return new Promise((done) => {
    const child = spawn(command as string, args, {
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (code: number): void =>
      done({ script, code, output: Buffer.concat(chunks).toString(), seconds: (performance.now() - started) / 1000 });
    child.once('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      finish(127);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

const led = lead ? run(lead, true, false) : null;
const outcomes = await Promise.all(scripts.map((script) => run(script, false, lead !== undefined)));
const leadOutcome = led ? await led : null;
if (leadOutcome) {
  const { code, seconds } = leadOutcome;
  console.info(`\n> npm run ${lead}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s`);
}
for (const { script, code, output, seconds } of outcomes) {
  const beside = lead ? `, beside ${lead}` : '';
  console.info(
    `\n> npm run ${script}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s${beside}`,
  );
  if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
const failed = [leadOutcome, ...outcomes].find((outcome) => outcome !== null && outcome.code !== 0);
process.exit(failed ? failed.code : 0);
