/**
 * The bars of issues 6, 7 and 9 at a glance: each target with the figure measured in this run and
 * whether it is met. The details stay in the suites' own sections of the report.
 */
import { round } from './stats.js';

type Json = Record<string, unknown>;
const at = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), value);

/** Where a function's bundle is bigger than the baseline's: bytes by package, largest first (packages it shares grow too, e.g. @smithy/core). */
export function bytesAbove(baseline: Map<string, number> | undefined, fn: Map<string, number> | undefined, count = 10) {
  if (!baseline || !fn) return {};
  const extra = [...fn].map(([pkg, bytes]): [string, number] => [pkg, bytes - (baseline.get(pkg) ?? 0)]).filter(([, b]) => b > 0);
  extra.sort((a, b) => b[1] - a[1]);
  return { total: extra.reduce((n, [, b]) => n + b, 0), byPackage: Object.fromEntries(extra.slice(0, count)) };
}

export function targetsOf(report: Json) {
  const targets: Json = {};
  const http = at(report, 'functions', 'http');
  if (http) {
    const ratio = at(http, 'bundleRatio', 'bytes') as number;
    targets['issue6-http-bundle-ratio'] = { max: 1.3, measured: ratio, met: ratio <= 1.3 };
    for (const [op, name] of [['link-redeem', 'issue6-redeem-round-trips'], ['portal-ticket-page', 'issue6-portal-page-round-trips']] as const) {
      const total = at(http, 'operations', op, 'dynamoRequests', 'total') as number | undefined;
      const seen = (at(http, 'operations', op, 'dynamoRequests', 'totalsSeen') as number[] | undefined) ?? [total];
      const worst = Math.max(...seen.map((n) => n ?? Infinity));
      targets[name] = { max: 2, measured: worst, met: worst <= 2 };
    }
    for (const op of ['link-landing', 'link-redeem', 'portal-ticket-page']) {
      const ms = at(http, 'operations', op, 'requestLatencyMs') as { p50: number; p99: number } | undefined;
      if (ms) targets[`issue6-latency-${op}`] = { p50Ms: ms.p50, p99Ms: ms.p99, getFloorP99Ms: at(http, 'getFloorMs', 'p99'), reportedOnly: true };
    }
  }
  const sweep = at(report, 'sweep', 'target') as { itemsRead: number; maxItemsRead: number; ratio: number; withinTarget: boolean } | undefined;
  if (sweep) targets['issue7-sweep-items-read'] = { max: sweep.maxItemsRead, measured: sweep.itemsRead, ratioToDueWork: sweep.ratio, met: sweep.withinTarget };
  const load = at(report, 'load', 'target') as { requestsPerSecond: number; p99Ms: number; failures: number; met: boolean; minRequestsPerSecond: number; maxP99Ms: number } | undefined;
  if (load) {
    targets['issue9-load-mix'] = {
      minRequestsPerSecond: load.minRequestsPerSecond,
      requestsPerSecond: load.requestsPerSecond,
      maxP99Ms: load.maxP99Ms,
      p99Ms: load.p99Ms,
      failures: load.failures,
      cores: at(report, 'load', 'cores'),
      met: load.met,
      shortfall: load.met ? undefined : round(load.minRequestsPerSecond / Math.max(1, load.requestsPerSecond), 1),
    };
  }
  return targets;
}
