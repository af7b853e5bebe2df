// `tsx test/tools/run-parallel.ts typecheck lint build`: runs those npm scripts side by side (type
// checking and linting wait on little but CPU, and take 30 s one after another on two cores), then
// prints each one's output whole, in the order named, so nothing interleaves. Exits with the first
// failing script's code, after all have finished.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: tsx test/tools/run-parallel.ts <npm script> [<npm script> ...]');
  process.exit(2);
}

interface Outcome {
  script: string;
  code: number;
  output: string;
  seconds: number;
}

function run(script: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn('npm', ['run', '-s', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (code: number): void =>
      done({ script, code, output: Buffer.concat(chunks).toString(), seconds: (performance.now() - started) / 1000 });
    child.once('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      finish(127);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

const outcomes = await Promise.all(scripts.map(run));
for (const { script, code, output, seconds } of outcomes) {
  console.info(`\n> npm run ${script}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s`);
  if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
const failed = outcomes.find((outcome) => outcome.code !== 0);
process.exit(failed ? failed.code : 0);
