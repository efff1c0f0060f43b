/** Where and on what the numbers were taken. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './context.js';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The tree that was measured, read when the run starts, before anything is measured. `report`: the
 * file the run writes, which does not count as a change to the tree.
 */
export function gitState(report?: string) {
  const commit = git(['rev-parse', 'HEAD']);
  if (commit === undefined) return null;
  const inTree = report && report !== '-' ? path.relative(REPO_ROOT, report) : undefined;
  const exclude = inTree && !inTree.startsWith('..') ? [`:(exclude)${inTree}`] : [];
  // Changes to tracked files: an untracked file is measured only if a tracked one changed to import it.
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ...exclude]);
  // dirty: null when git could not say.
  return { commit, dirty: status === undefined ? null : status.length > 0 };
}

/** The machine, read when the report is written. */
export function metadata(git: ReturnType<typeof gitState>) {
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
    git,
  };
}
