/**
 * Runs an inline ES module in a fresh Node process (the same binary as the bench) with a clean
 * environment, and takes one result back over IPC. Used for measurements that a warm, shared
 * process would distort: cold import and peak memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ChildOptions {
  /** For error messages. */
  label: string;
  /** ES module source; must call `report(value)` (defined by the wrapper) exactly once. */
  script: string;
  env: Record<string, string>;
  /** Node flags, e.g. --enable-source-maps. */
  nodeFlags?: string[];
  timeoutMs?: number;
}

export interface ChildRun<T> {
  result: T;
  /** Spawn to exit, as seen by the parent. */
  wallMs: number;
}

const TAIL = 4000;
const running = new Set<ChildProcess>();

/** For an interrupted bench: no child outlives it. */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** The wrapper gives the script `report()` and turns an uncaught failure into a clear message. */
function wrap(script: string): string {
  return `
const report = (value) => new Promise((resolve) => process.send({ ok: true, value }, () => resolve()));
try {
${script}
} catch (e) {
  await new Promise((resolve) => process.send({ ok: false, error: String(e && e.stack || e) }, () => resolve()));
}
process.exit(0);
`;
}

export function runChild<T>(options: ChildOptions): Promise<ChildRun<T>> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--input-type=module', '-e', wrap(options.script)], {
    // Nothing inherited: no tsx loader, no AWS profile; only what a function would see.
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-TAIL)));
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-TAIL)));

  return new Promise((resolve, reject) => {
    let message: { ok: true; value: T } | { ok: false; error: string } | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.label}: child process did not finish within ${options.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('message', (m) => (message = m as typeof message));
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`${options.label}: could not start ${process.execPath}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const wallMs = performance.now() - started;
      if (message?.ok) return resolve({ result: message.value, wallMs });
      const why = message ? message.error : `exited with ${signal ?? `code ${code}`} without a result`;
      reject(new Error(`${options.label}: ${why}\n--- child stderr (tail) ---\n${stderr}\n--- child stdout (tail) ---\n${stdout}`));
    });
  });
}
