/**
 * HTTP load on the local stack (bench/README.md, load): `npm start`'s entry runs as a child process
 * (harness/local-stack.ts, on free ports and its own data directory), so the load generator
 * never shares its process. Tickets come in as a customer makes them: mail over SMTP, the link taken
 * from the SES emulator's outbox. autocannon then runs each scenario for a fixed time:
 *   stylesheet   GET of the stylesheet: the same stand-in and function without the table (the ceiling);
 *   landing-one-link  GET of one link again and again: its opens counted (open-tally.ts);
 *   landing      GET of a link: the page with the button (spends nothing);
 *   portal-page  GET of a ticket page with a valid session cookie;
 *   mix          45 % landing, 45 % portal pages, 10 % POSTs of fresh links (each spends one: 303 + session).
 * Settings from the environment: OTA_BENCH_LOAD_SECONDS (10 per scenario), OTA_BENCH_LOAD_CONNECTIONS
 * (8), OTA_BENCH_CPU_PROFILE=1 runs the stack with --cpu-prof and adds where its time went.
 * Targets on 2 cores: the mix ≥ 500 req/s, p99 < 50 ms, no errors; one link's landing page and a
 * ticket page each ≥ 0.5× the stylesheet's rate in the same run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import nodemailer from 'nodemailer';
import { startLocalStack, type RunningStack } from '../harness/local-stack.js';
import type { LoadSettings } from './settings.js';
import { summarizeCpuProfiles } from './cpu-profile.js';
import { round, summarize } from './stats.js';

const pick = ({ p50, p99, max }: { p50: number; p99: number; max: number }) => ({ p50, p99, max });

export const LOAD_TARGET = { scenario: 'mix', minRequestsPerSecond: 500, maxP99Ms: 50, errors: 0, onCores: 2 } as const;
const SESSIONS = 50;
const LANDING_LINKS = 50;
const WARMUP_SECONDS = 3;
/** Fresh links prepared for the mix: its expected POSTs (10 % of the best rate seen so far) times this. */
const FRESH_MARGIN = 1.6;
const MAX_FRESH = 4000;
const LINK_PATH = /\/link\/(\d+)\/([A-Za-z0-9_-]{43})/;

type Kind = 'landing' | 'portal-page' | 'redeem' | 'stylesheet';
const EXPECTED_STATUS: Record<Kind, number> = { landing: 200, 'portal-page': 200, redeem: 303, stylesheet: 200 };
/** The landing page of one link and a ticket page, each against the stylesheet's rate in the same run. */
export const VS_STYLESHEET_TARGET = { min: 0.5, scenarios: ['landing-one-link', 'portal-page'] } as const;

const stacks = new Set<RunningStack>();

/** For an interrupted bench: no local stack outlives it. */
export async function killStacks(): Promise<void> {
  await Promise.all([...stacks].map((s) => s.kill()));
}

interface Link {
  ticketNumber: string;
  path: string;
}

/** CPU seconds a process and its descendants have used (Linux /proc; undefined elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    let seconds = (Number(fields[11]) + Number(fields[12])) / 100;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) seconds += cpuSecondsOf(Number(child)) ?? 0;
    }
    return seconds;
  } catch {
    return undefined;
  }
}

/** `count` tickets, each from a new customer over SMTP; their links from the SES emulator's outbox. */
async function mailIn(stack: RunningStack, count: number, batch: string, log: (m: string) => void): Promise<{ links: Link[]; ms: number }> {
  const started = performance.now();
  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.port('smtp'), secure: false, ignoreTLS: true, pool: true, maxConnections: 4, maxMessages: Infinity });
  const address = (i: number) => `load-${batch}-${i}@bench.example`;
  try {
    let next = 0;
    const sender = async () => {
      while (next < count) {
        const i = next++;
        await smtp.sendMail({ from: `Customer ${i} <${address(i)}>`, to: 'support@localhost', subject: `Printer ${batch}-${i} is on fire`, text: 'Help! The printer is on fire.' });
      }
    };
    await Promise.all(Array.from({ length: 4 }, sender));
  } finally {
    smtp.close();
  }
  // The auto-replies follow the SMTP answer: wait (bounded) until every one is in the outbox.
  const wanted = new Set(Array.from({ length: count }, (_, i) => address(i)));
  const deadline = Date.now() + 60_000 + count * 100;
  for (;;) {
    const res = await fetch(`${stack.urls.ses}store`);
    const { emails } = (await res.json()) as { emails: { destination: { to: string[] }; body: { text?: string } }[] };
    const links = new Map<string, Link>();
    for (const mail of emails) {
      const to = mail.destination.to.find((a) => wanted.has(a));
      const m = LINK_PATH.exec(mail.body.text ?? '');
      if (to && m?.[1]) links.set(to, { ticketNumber: m[1], path: m[0] });
    }
    if (links.size === count) {
      const ms = performance.now() - started;
      log(`load: ${count} tickets mailed in over SMTP in ${(ms / 1000).toFixed(1)} s`);
      return { links: [...links.values()], ms };
    }
    if (Date.now() > deadline) throw new Error(`load: only ${links.size} of ${count} auto-replies with a link arrived in time`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Spends a link as the portal's form does; the session cookie it sets. */
async function redeem(base: string, origin: string, link: Link): Promise<string> {
  const res = await fetch(`${base}${link.path}`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => /session=/.test(c));
  await res.arrayBuffer();
  if (res.status !== 303 || !cookie) throw new Error(`load: redeeming ${link.ticketNumber} answered ${res.status} without a session cookie`);
  return cookie;
}

interface Scenario {
  name: string;
  /** The next request's kind and shape. */
  next(): { kind: Kind; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
}

async function run(stack: RunningStack, scenario: Scenario, settings: LoadSettings, seconds: number) {
  const byKind: Partial<Record<Kind, { answered: number; unexpected: number; statuses: Record<string, number>; ms: number[] }>> = {};
  // What else the machine was doing: a busy machine (other tests) leaves the stack less than its core.
  const loadAverageBefore = round(os.loadavg()[0] ?? 0);
  const cpuBefore = cpuSecondsOf(stack.child.pid);
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({
    url: stack.urls.http,
    connections: settings.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request, context) => {
          const next = scenario.next();
          Object.assign(context, { kind: next.kind, at: performance.now() });
          return { ...request, method: next.method, path: next.path, headers: next.headers, body: next.body };
        },
        onResponse: (status, _body, context) => {
          const { kind = 'landing', at = Number.NaN } = context as { kind?: Kind; at?: number };
          const k = (byKind[kind] ??= { answered: 0, unexpected: 0, statuses: {}, ms: [] });
          k.answered++;
          k.ms.push(performance.now() - at);
          k.statuses[status] = (k.statuses[status] ?? 0) + 1;
          if (status !== EXPECTED_STATUS[kind]) k.unexpected++;
        },
      },
    ],
  });
  const wallS = (performance.now() - started) / 1000;
  const cpuAfter = cpuSecondsOf(stack.child.pid);
  const stackCpuS = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
  const notOk = Object.entries(statuses).reduce((n, [code, c]) => (Number(code) >= 200 && Number(code) < 400 ? n : n + c), 0);
  const unexpected = Object.values(byKind).reduce((n, k) => n + k.unexpected, 0);
  return {
    durationS: result.duration,
    connections: result.connections,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average, 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean) },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx3xx: notOk,
    unexpectedStatus: unexpected,
    statuses,
    // Per kind of request, timed here from setting the request up to its response (close to autocannon's own figure).
    byKind: Object.fromEntries(Object.entries(byKind).map(([kind, k]) => [kind, { answered: k.answered, unexpected: k.unexpected, statuses: k.statuses, latencyMs: pick(summarize(k.ms)) }])),
    // Cores used: 1.0 is one core busy for the whole run. Per request: what one costs the stack, whatever else the machine does.
    stackCpuCores: stackCpuS === undefined ? null : round(stackCpuS / wallS),
    stackCpuMsPerRequest: stackCpuS === undefined ? null : round((1000 * stackCpuS) / Math.max(1, result.requests.total), 2),
    loadGeneratorCpuCores: round((benchCpu.user + benchCpu.system) / 1e6 / wallS),
    loadAverageBefore,
  };
}

/** Cycles through a list, one item per call. */
const cycle = <T>(items: readonly T[]) => {
  let i = 0;
  return () => items[i++ % items.length] as T;
};

/** `start`: how the stack is started (an experiment with another process layout passes its own). */
export async function loadSuite(dataDir: string, log: (m: string) => void, settings: LoadSettings, start: typeof startLocalStack = startLocalStack) {
  const profileDir = path.join(dataDir, 'cpu-profile');
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', settings.cpuProfile ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ''].join(' ').trim();
  log(`load: starting the local stack (npm start's entry) as a child process${settings.cpuProfile ? ' with --cpu-prof' : ''}`);
  const stack = await start({ OTA_DATA_DIR: path.join(dataDir, 'stack'), POWERTOOLS_LOG_LEVEL: 'ERROR', ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) });
  stacks.add(stack);
  let stopped = false;
  try {
    const base = stack.urls.http.replace(/\/$/, '');
    // Form posts carry the portal's origin (PortalUrl: the address the stack names, http://localhost:<port>).
    const origin = new URL(stack.urls.portal).origin;
    const prepared = await mailIn(stack, SESSIONS + LANDING_LINKS, 'a', log);
    const landingLinks = prepared.links.slice(0, LANDING_LINKS);
    const sessions: { path: string; cookie: string }[] = [];
    for (const link of prepared.links.slice(LANDING_LINKS)) sessions.push({ path: `/tickets/${link.ticketNumber}`, cookie: await redeem(base, origin, link) });
    log(`load: ${landingLinks.length} links for landing pages, ${sessions.length} sessions for portal pages`);

    const landing = cycle(landingLinks);
    const session = cycle(sessions);
    const landingRequest = () => ({ kind: 'landing' as const, method: 'GET' as const, path: landing().path, headers: {} });
    const portalRequest = () => {
      const s = session();
      return { kind: 'portal-page' as const, method: 'GET' as const, path: s.path, headers: { cookie: s.cookie } };
    };

    const scenarios: Record<string, Awaited<ReturnType<typeof run>> & { what: string }> = {};
    log(`load: ${WARMUP_SECONDS} s warm-up (not reported)`);
    let flip = 0;
    await run(stack, { name: 'warm-up', next: () => (flip++ % 2 ? landingRequest() : portalRequest()) }, settings, WARMUP_SECONDS);

    // The plumbing's ceiling here: the same stand-in and function, a page that touches no table.
    log(`load: the stylesheet, ${settings.seconds} s, ${settings.connections} connections`);
    const stylesheet = { kind: 'stylesheet' as const, method: 'GET' as const, path: '/static/portal.css', headers: {} };
    scenarios.stylesheet = { what: 'GET of the portal’s stylesheet: the same stand-in and function, no table — the plumbing’s ceiling here', ...(await run(stack, { name: 'stylesheet', next: () => stylesheet }, settings, settings.seconds)) };
    const one = landingLinks[0]!;
    log(`load: one link's landing page again and again, ${settings.seconds} s, ${settings.connections} connections`);
    scenarios['landing-one-link'] = {
      what: 'GET of one link again and again (a scanner, a script, a person reloading): its opens are counted, not written one by one',
      ...(await run(stack, { name: 'landing-one-link', next: () => ({ kind: 'landing', method: 'GET', path: one.path, headers: {} }) }, settings, settings.seconds)),
    };
    log(`load: landing pages, ${settings.seconds} s, ${settings.connections} connections`);
    scenarios.landing = { what: 'GET of a link (the landing page with the button), 50 links in turn', ...(await run(stack, { name: 'landing', next: landingRequest }, settings, settings.seconds)) };
    log(`load: portal ticket pages, ${settings.seconds} s, ${settings.connections} connections`);
    scenarios['portal-page'] = { what: 'GET of a ticket page with a valid session cookie, 50 sessions in turn', ...(await run(stack, { name: 'portal-page', next: portalRequest }, settings, settings.seconds)) };

    // Every POST of the mix spends a fresh link: enough of them for the best rate seen, with a margin.
    const best = Math.max(scenarios.landing.requestsPerSecond, scenarios['portal-page'].requestsPerSecond);
    const freshCount = Math.min(MAX_FRESH, Math.ceil(best * settings.seconds * 0.1 * FRESH_MARGIN) + 20);
    const fresh = await mailIn(stack, freshCount, 'b', log);
    let nextFresh = 0;
    let short = 0;
    let k = 0;
    const mix = (): ReturnType<Scenario['next']> => {
      const slot = k++ % 20;
      if (slot === 9 || slot === 19) {
        const link = fresh.links[nextFresh++];
        if (link) return { kind: 'redeem', method: 'POST', path: link.path, headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' };
        short++; // out of fresh links: a portal page instead, counted
        return portalRequest();
      }
      return slot % 2 ? landingRequest() : portalRequest();
    };
    log(`load: mix with 10 % POSTs of fresh links (${fresh.links.length} ready), ${settings.seconds} s, ${settings.connections} connections`);
    scenarios.mix = {
      what: '45 % landing GETs, 45 % portal ticket pages, 10 % POSTs each spending a fresh link (303, session set)',
      ...(await run(stack, { name: 'mix', next: mix }, settings, settings.seconds)),
      ...{ freshLinksPrepared: fresh.links.length, freshLinksSpent: Math.min(nextFresh, fresh.links.length), postsReplacedForLackOfFreshLinks: short },
    };

    const m = scenarios.mix;
    const cores = os.availableParallelism();
    const target = {
      ...LOAD_TARGET,
      requestsPerSecond: m.requestsPerSecond,
      p99Ms: m.latencyMs.p99,
      failures: m.errors + m.non2xx3xx + m.unexpectedStatus,
      met: m.requestsPerSecond >= LOAD_TARGET.minRequestsPerSecond && m.latencyMs.p99 < LOAD_TARGET.maxP99Ms && m.errors + m.non2xx3xx + m.unexpectedStatus === 0,
      // The most the stack could answer if every core of the machine were its own: cores / CPU per request.
      ceilingRequestsPerSecond: m.stackCpuMsPerRequest ? Math.round((1000 * cores) / m.stackCpuMsPerRequest) : null,
      ...(cores === LOAD_TARGET.onCores ? {} : { note: `measured on ${cores} cores; the target is stated for ${LOAD_TARGET.onCores}` }),
    };

    const ceiling = scenarios.stylesheet.requestsPerSecond;
    const vsStylesheet = Object.fromEntries(['landing-one-link', 'landing', 'portal-page', 'mix'].map((name) => [name, round((scenarios[name]?.requestsPerSecond ?? 0) / Math.max(1, ceiling))]));
    const vsTarget = {
      min: VS_STYLESHEET_TARGET.min,
      stylesheetRequestsPerSecond: ceiling,
      ratios: Object.fromEntries(VS_STYLESHEET_TARGET.scenarios.map((name) => [name, vsStylesheet[name]])),
      met: VS_STYLESHEET_TARGET.scenarios.every((name) => (vsStylesheet[name] ?? 0) >= VS_STYLESHEET_TARGET.min),
    };

    await stack.stop();
    stopped = true;
    stacks.delete(stack);
    return {
      scope:
        'npm start’s entry (local/start.ts) as one child process: dynalite on LevelDB files, the SES emulator, s3rver, the SMTP ' +
        'listener, the event bus and the HTTP function behind the local API Gateway stand-in, Powertools logs at ERROR. autocannon in ' +
        'the bench process over loopback with keep-alive; latencies are autocannon’s (request written to response read).',
      cores,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      seconds: settings.seconds,
      connections: settings.connections,
      setup: { ticketsMailedIn: prepared.links.length + fresh.links.length, smtpToLinkMs: { first: Math.round(prepared.ms), fresh: Math.round(fresh.ms) } },
      scenarios,
      vsStylesheet,
      target,
      vsStylesheetTarget: vsTarget,
      ...(settings.cpuProfile ? { stackCpuProfile: summarizeCpuProfiles(profileDir) } : {}),
    };
  } finally {
    if (!stopped) await stack.kill();
    stacks.delete(stack);
  }
}
