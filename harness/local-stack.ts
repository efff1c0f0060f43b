/** Runs `npm start`'s entry as a child process on free ports, as a person would run it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

type Peer = 'smtp' | 'http' | 'portal' | 'ses' | 'events' | 'lambda' | 'dynamodb' | 's3';

export interface RunningStack {
  child: ChildProcess;
  urls: Record<Peer, string>;
  port(name: Peer): number;
  output(): string;
  /** SIGTERM, resolved with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to clean up (kill -9). */
  kill(): Promise<number | null>;
}

const ROOT = join(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 60_000;

/** Every port 0 (free ones), quiet logs; `command` runs the stack as npm start does, or through npm itself. */
export function startLocalStack(env: Record<string, string>, command: 'node' | 'npm' = 'node'): Promise<RunningStack> {
  const ports = { OTA_HTTP_PORT: '0', OTA_SMTP_PORT: '0', OTA_SES_PORT: '0', OTA_DYNAMODB_PORT: '0', OTA_S3_PORT: '0', OTA_EVENTS_PORT: '0', OTA_LAMBDA_PORT: '0' };
  const [file, args] = command === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'local/start.ts']];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, ...ports, POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local stack not ready in time:\n${out}`));
    }, READY_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}:\n${out}`));
    });
    const onData = () => {
      const line = out.split('\n').find((l) => l.includes('ready'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      const urls = Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])) as RunningStack['urls'];
      resolve({
        child,
        urls,
        port: (name) => Number(new URL(urls[name]).port),
        output: () => out,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
  });
}

/** Polls until `probe` returns a value (bounded); the local function runs after SMTP answers. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
