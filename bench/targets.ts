/**
 * The performance targets at a glance: each named by what it measures, with the bar, the figure of
 * this run and whether it is met (bench/README.md explains each). The details stay in the suites'
 * own sections of the report.
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

const HTTP_BUNDLE_MAX_RATIO = 1.3;
const MAX_ROUND_TRIPS = 2;

export function targetsOf(report: Json) {
  const targets: Json = {};
  const http = at(report, 'functions', 'http');
  if (http) {
    const ratio = at(http, 'bundleRatio', 'bytes') as number;
    targets['http-bundle-vs-baseline'] = {
      what: 'bytes the HTTP function loads at a cold start, as a multiple of the baseline DynamoDB handler’s',
      max: HTTP_BUNDLE_MAX_RATIO,
      measured: ratio,
      met: ratio <= HTTP_BUNDLE_MAX_RATIO,
    };
    const cold = at(http, 'coldImportRatio') as number | undefined;
    const coldMax = at(http, 'coldImportTarget', 'maxRatio') as number | undefined;
    if (cold !== undefined && coldMax !== undefined) {
      targets['http-cold-start-vs-baseline'] = {
        what: `the HTTP function’s cold import (median, ${at(http, 'coldImportMs', 'nodeOptions') || 'no NODE_OPTIONS'} as deployed) as a multiple of the baseline handler’s`,
        max: coldMax,
        measured: cold,
        met: cold <= coldMax,
      };
    }
    const worstOf = (op: string) => {
      const total = at(http, 'operations', op, 'dynamoRequests', 'total') as number | undefined;
      const seen = (at(http, 'operations', op, 'dynamoRequests', 'totalsSeen') as number[] | undefined) ?? [total];
      return Math.max(...seen.map((n) => n ?? Infinity));
    };
    const redeem = worstOf('link-redeem');
    targets['redeem-dynamodb-requests'] = { what: 'DynamoDB requests of one redeem (POST of a link), worst of all iterations', max: MAX_ROUND_TRIPS, measured: redeem, met: redeem <= MAX_ROUND_TRIPS };
    // A page's and a code sign-in's requests go out in two steps, those of a step together: the bar is round trips.
    const worstTrips = (op: string) => {
      const trips = at(http, 'operations', op, 'dynamoRoundTrips') as { perRun: number; seen?: number[] } | undefined;
      return trips && Math.max(...(trips.seen ?? [trips.perRun]));
    };
    for (const [name, op, what] of [
      ['portal-page-dynamodb-round-trips', 'portal-ticket-page', 'one portal ticket page'],
      ['code-sign-in-dynamodb-round-trips', 'code-sign-in', 'one sign-in with a code (POST /code)'],
    ] as const) {
      const trips = worstTrips(op);
      if (trips === undefined) continue;
      targets[name] = {
        what: `DynamoDB round trips of ${what}, worst of all iterations (${worstOf(op)} requests; those sent together count once)`,
        max: MAX_ROUND_TRIPS,
        measured: trips,
        met: trips <= MAX_ROUND_TRIPS,
      };
    }
    const scale = at(http, 'ticketPageScale', 'target') as { maxRatio: number; worstRatio: number; worstRoundTrips: number; worstBytes: number; maxBytes: number; met: boolean } | undefined;
    if (scale) {
      targets['ticket-page-p50-vs-one-article'] = {
        what: 'p50 of a ticket page with 100, 1 000 articles (and 10 000 trail entries), as a multiple of the 1-article page’s; each within 2 round trips and under 1 MB',
        max: scale.maxRatio,
        measured: scale.worstRatio,
        worstRoundTrips: scale.worstRoundTrips,
        worstBytes: scale.worstBytes,
        met: scale.met,
      };
    }
    for (const op of ['link-landing', 'link-redeem', 'portal-ticket-page']) {
      const ms = at(http, 'operations', op, 'requestLatencyMs') as { p50: number; p99: number } | undefined;
      if (ms) targets[`${op}-latency`] = { what: `${op} through the local API Gateway stand-in against dynalite: p50 and p99 beside the p99 of one GetItem`, p50Ms: ms.p50, p99Ms: ms.p99, getFloorP99Ms: at(http, 'getFloorMs', 'p99'), reportedOnly: true };
    }
  }
  const memory = at(report, 'functions', 'inbound-mail', 'peakMemoryMb') as { worstPeakRssMb: number; targetPeakRssMb: number; withinTarget: boolean } | undefined;
  if (memory) targets['inbound-peak-rss'] = { what: 'peak RSS of the inbound function’s bundle handling the biggest mail, worst case', max: memory.targetPeakRssMb, measured: memory.worstPeakRssMb, met: memory.withinTarget };
  const sweep = at(report, 'sweep', 'target') as { itemsRead: number; maxItemsRead: number; ratio: number; withinTarget: boolean } | undefined;
  if (sweep) targets['sweep-items-read-vs-due-work'] = { what: 'items the sweep reads, against the due tickets and their tokens', max: sweep.maxItemsRead, measured: sweep.itemsRead, ratioToDueWork: sweep.ratio, met: sweep.withinTarget };
  const load = at(report, 'load', 'target') as { requestsPerSecond: number; p99Ms: number; failures: number; met: boolean; minRequestsPerSecond: number; maxP99Ms: number } | undefined;
  if (load) {
    targets['load-mix-throughput-and-p99'] = {
      what: 'the local stack under the mixed load (landing pages, ticket pages, redeems): requests per second and p99, without errors',
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
  const vs = at(report, 'load', 'vsStylesheetTarget') as { min: number; ratios: Record<string, number>; stylesheetRequestsPerSecond: number; met: boolean } | undefined;
  if (vs) {
    targets['load-vs-stylesheet'] = {
      what: 'under load on the local stack: one link’s landing page opened again and again, and a portal ticket page, each as a share of the stylesheet’s req/s in the same run',
      min: vs.min,
      ratios: vs.ratios,
      stylesheetRequestsPerSecond: vs.stylesheetRequestsPerSecond,
      met: vs.met,
    };
  }
  return targets;
}
