/**
 * Where a process's time went, from the .cpuprofile files `node --cpu-prof` writes at exit: self
 * time by package (node_modules/<name>), by our own file, and by Node's internals, plus the
 * functions with the most self time. Enough to say what the local stack spends its CPU on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './context.js';
import { round } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** node_modules/@scope/name/… → @scope/name; our files by path; node:… internals; (program), (idle), (garbage collector). */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const parts = url.split('node_modules/');
  if (parts.length > 1) {
    const rest = (parts.at(-1) ?? '').split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(REPO_ROOT) ? path.relative(REPO_ROOT, file) : file;
}

/** Which part of the local stack an owner belongs to. */
function componentOf(owner: string): string {
  if (/^(dynalite|classic-level|abstract-level|level-|levelup|memdown|lazy|buffer-crc32|big\.js|lock|once|async)/.test(owner)) return 'dynalite (DynamoDB peer, LevelDB)';
  if (/^@(smithy|aws-sdk|aws-crypto)\//.test(owner)) return 'AWS SDK clients (serialize, sign, HTTP)';
  if (/^(functions|shared)\/|^@middy\/|^@aws-lambda-powertools\/|^zod$/.test(owner)) return 'HTTP function (handler, use cases, middy, Powertools, zod)';
  if (/^local\//.test(owner)) return 'local stand-ins of ours (API Gateway, bus, SMTP)';
  if (/^(aws-ses-v2-local|s3rver|smtp-server|koa|express|postal-mime|mailsplit|@zone-eu|libmime|iconv-lite|nodemailer)/.test(owner)) return 'mail path and other peers (SMTP, SES emulator, s3rver)';
  if (/^(tsx|esbuild)$/.test(owner) || owner.startsWith('node:internal/modules')) return 'module loading (tsx, start-up)';
  if (owner === '(idle)') return '(idle)';
  if (owner === '(garbage collector)') return '(garbage collector)';
  if (owner.startsWith('node:') || owner.startsWith('(')) return 'Node itself (sockets, HTTP parser, microtasks)';
  return 'other packages';
}

export function summarizeCpuProfiles(dir: string, top = 20) {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return { error: `no profile in ${dir}` };
  }
  const byOwner = new Map<string, number>();
  const byComponent = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Self time per sample: the delta that follows it is the time attributed to its node.
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const leaf = nodes.get(samples[i] as number);
      const us = deltas[i + 1] ?? 0;
      if (!leaf) continue;
      totalUs += us;
      // Node's own code (node:…, native) is charged to the nearest caller that is a package or ours.
      let node: ProfileNode | undefined = leaf;
      while (node && (!node.callFrame.url || node.callFrame.url.startsWith('node:'))) node = nodes.get(parent.get(node.id) ?? -1);
      const { functionName, url, lineNumber } = (node ?? leaf).callFrame;
      const owner = node ? ownerOf(url, functionName) : ownerOf(leaf.callFrame.url, leaf.callFrame.functionName);
      if (owner === '(idle)') idleUs += us;
      add(byOwner, owner, us);
      add(byComponent, componentOf(owner), us);
      add(byFunction, `${functionName || '(anonymous)'} ${owner}${url ? `:${lineNumber + 1}` : ''}`, us);
    }
  }
  const busyUs = totalUs - idleUs || 1;
  const share = (entries: Map<string, number>, count: number) =>
    Object.fromEntries(
      [...entries]
        .filter(([k]) => !k.startsWith('(idle)'))
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([k, us]) => [k, round((100 * us) / busyUs, 1)]),
    );
  return {
    what:
      'node --cpu-prof of the local stack over its whole life (start-up and the SMTP set-up included, not only the load): ' +
      'self time in % of the busy (non-idle) time, Node internals charged to the package or file that called them',
    files: files.length,
    profiledS: round(totalUs / 1e6, 1),
    busyS: round(busyUs / 1e6, 1),
    byComponent: share(byComponent, top),
    byPackageOrFile: share(byOwner, top),
    topFunctions: share(byFunction, top),
  };
}
