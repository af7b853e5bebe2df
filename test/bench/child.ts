// Child processes for the server benchmark: started with a bounded copy of their output, waited for
// over HTTP, and always stopped (also when the benchmark process itself exits early).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const OUTPUT_LIMIT = 8 * 1024;
const STOP_GRACE_MS = 5000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface Child {
  name: string;
  proc: ChildProcess;
  /** The last few kB of stdout and stderr together. */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const proc of live) proc.kill('SIGKILL');
    });
  }
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  proc.once('error', (error) => keep(Buffer.from(`${name}: ${error.message}\n`)));
  return { name, proc, output: () => output, stop: () => stopChild(proc) };
}

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined;
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (exited(proc)) return;
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
  await gone;
  clearTimeout(timer);
}

export { freePort } from '../support/stack.ts';

/** Polls `url` until it answers 2xx; fails early when the child exits, and after `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child.proc)) throw new Error(`${child.name} exited before answering ${url}:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by `pid` and its live children (nginx's workers), or null
 * where /proc does not tell.
 */
export function cpuSeconds(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) seconds += cpuSeconds(Number(child)) ?? 0;
    }
    return Number.isFinite(seconds) ? seconds : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds the machine's processes have used (every core: user, nice, system, plus time stolen by
 * the hypervisor; not idle, I/O wait or interrupts, which loopback traffic causes itself), or null without /proc.
 */
export function machineBusySeconds(): number | null {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const busy = [0, 1, 2, 7].reduce((sum, i) => sum + (ticks[i] ?? NaN), 0);
    return Number.isFinite(busy) && ticks.length >= 8 ? busy / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
