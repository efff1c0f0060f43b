/** Where and on what the numbers were taken. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from './context.js';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function metadata() {
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === undefined ? undefined : git(['status', '--porcelain']);
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    // Other work on the machine skews every figure: the load averages (1, 5, 15 min) when the report was written.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    git: commit === undefined ? null : { commit, dirty: Boolean(status) },
  };
}
