// `tsx test/tools/run-lanes.ts "build test:e2e" "@build test:unit" typecheck`: runs npm scripts in
// lanes. The scripts of one lane run one after another, stopping at the first that fails; the lanes run
// side by side. A lane that starts with `@<script>` first waits until that script of another lane has
// passed (and runs nothing if it failed). Each output line is printed as it comes, after its script's
// name, so a long run shows its progress and nothing interleaves within a line. A closing table gives
// every script's result and time. Exits with the first failing script's code, after every lane ended.
//
// The first lane runs at normal priority and the others at nice 10. Put the lane that waits on real
// time first (the end-to-end tests: a browser's timers, retries, time-outs): the lanes that only want
// CPU (unit tests, type check, lint) then give way to it instead of stretching its waits.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

interface Lane {
  /** The script of another lane this one waits for, if any. */
  after: string | null;
  scripts: string[];
}

const lanes: Lane[] = process.argv.slice(2).map((text) => {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const after = words[0]?.startsWith('@') ? words[0].slice(1) : null;
  return { after, scripts: after === null ? words : words.slice(1) };
});
const named = new Set(lanes.flatMap((lane) => lane.scripts));
if (
  lanes.length === 0 ||
  lanes.some((lane) => lane.scripts.length === 0 || (lane.after !== null && !named.has(lane.after)))
) {
  console.error('usage: tsx test/tools/run-lanes.ts "[@<script of another lane>] <npm script> [<npm script> ...]" ...');
  process.exit(2);
}

const NICE = 10;
const width = Math.max(...[...named].map((script) => script.length));
/** Each script's outcome, settled when it has ended (or was not run), for the lanes that wait on it. */
const ended = new Map<string, { promise: Promise<Outcome>; settle(outcome: Outcome): void }>();
for (const script of named) {
  let settle: (outcome: Outcome) => void = () => undefined;
  const promise = new Promise<Outcome>((done) => (settle = done));
  ended.set(script, { promise, settle });
}

interface Outcome {
  script: string;
  /** null: not run, an earlier script of its lane failed. */
  code: number | null;
  seconds: number;
}

function run(script: string, nice: boolean): Promise<Outcome> {
  const started = performance.now();
  const command = nice ? 'nice' : 'npm';
  const args = [...(nice ? ['-n', String(NICE), 'npm'] : []), 'run', '-s', script];
  return new Promise((done) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
    });
    const label = `${script.padEnd(width)} │ `;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        process.stdout.write(`${label}${line}\n`);
      });
    }
    const finish = (code: number): void => done({ script, code, seconds: (performance.now() - started) / 1000 });
    child.once('error', (error) => {
      process.stdout.write(`${label}${error.message}\n`);
      finish(127);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

async function runLane(lane: Lane, nice: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let go = lane.after === null || (await ended.get(lane.after)?.promise)?.code === 0;
  for (const script of lane.scripts) {
    const outcome = go ? await run(script, nice) : { script, code: null, seconds: 0 };
    ended.get(script)?.settle(outcome);
    outcomes.push(outcome);
    go &&= outcome.code === 0;
  }
  return outcomes;
}

const started = performance.now();
const outcomes = (await Promise.all(lanes.map((lane, index) => runLane(lane, index > 0)))).flat();
console.info('');
for (const { script, code, seconds } of outcomes) {
  const result = code === null ? 'not run' : code === 0 ? 'passed' : `failed (exit ${code})`;
  console.info(`npm run ${script.padEnd(width)}  ${result}${code === null ? '' : ` in ${seconds.toFixed(1)} s`}`);
}
console.info(`all lanes: ${((performance.now() - started) / 1000).toFixed(1)} s`);
const failed = outcomes.find((outcome) => outcome.code !== null && outcome.code !== 0);
process.exit(failed?.code ?? 0);
