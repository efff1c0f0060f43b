/**
 * The sections of docs/performance.md (scripts/performance-report.ts puts them together): a table
 * of the run's figures each, and the explanation that holds whatever the figures are. Sentences
 * that depend on a figure are built from it, never written around a number copied by hand.
 */
type Latency = { p50: number; p90?: number; p99: number; max: number };
type Count = { total: number; commands: Record<string, number>; totalsSeen?: number[] };
type Target = { what: string; met?: boolean; reportedOnly?: boolean; max?: number; measured?: number } & Record<string, unknown>;
type Operation = { outcome: string; dynamoRequests: Count; expectedDynamoRequests?: { asExpected: boolean }; dynamoRoundTrips?: { perRun: number; asExpected: boolean }; otherRequests: Record<string, Count>; handlerLatencyMs: Latency; requestLatencyMs?: Latency; p99VsGetFloor?: { request?: number } };
type Bundle = {
  bundleBytes: number;
  bundleGzipBytes: number;
  deployedBytes: number;
  lazyChunks: { files: number; bytes: number };
  coldImportMs: { median: number; fastest: number; nodeOptions?: string; withoutSourceMaps: { median: number }; withSourceMaps?: { median: number } };
};
type FunctionReport = Bundle & {
  bundleRatio: { bytes: number };
  coldImportRatio: number;
  coldImportRatioFastest: number;
  coldImportRatioWithoutSourceMaps: number;
  coldImportRatioWithSourceMaps?: number;
  bytesAboveBaseline: { total?: number; byPackage?: Record<string, number> };
  operationsScope?: string;
  operations?: Record<string, Operation>;
  getFloorMs?: Latency;
  peakMemoryMb?: { targetPeakRssMb: number; worstPeakRssMb: number; cases: Record<string, { mailBytes: number; peakRssMb: number; peakAboveBaselineMb: number; processingMs: number }> };
  ticketPageScale?: {
    scope: string;
    cases: Record<string, { articles: number; trailEntries: number; requestLatencyMs: Latency; responseBytes: number; dynamoRequests: number; roundTrips: number }>;
    p50RatioToOneArticle: Record<string, number>;
    target: { maxRatio: number; worstRatio: number; met: boolean };
  };
};
type Scenario = { what: string; requestsPerSecond: number; latencyMs: Latency; errors: number; timeouts: number; non2xx3xx: number; unexpectedStatus: number; stackCpuCores: number | null; stackCpuMsPerRequest: number | null };

export interface Report {
  meta: { date: string; node: string; cpus: number; cpuModel: string; totalMemoryMb: number; loadAverage: number[]; git: { commit: string; dirty: boolean | null } | null; durationMs: number; suites: string[]; quick?: boolean };
  targets: Record<string, Target>;
  baseline?: Bundle;
  functions?: Record<string, FunctionReport>;
  sweep?: {
    data: { tickets: number; items: number; dueTickets: number; dueTokens: number; generation: { ms: number; itemsPerSecond: number } };
    sweep: { itemsRead: number; itemsReadPerDueTicket: number; readCapacityUnits: number; ms: number; secondRunItemsRead: number };
    addOnApproach: { itemsRead: number; itemsReadPerDueTicket: number; readCapacityUnits: number; ms: number };
    sweepVsAddOn: { itemsRead: number; readCapacity: number };
  };
  load?: {
    cores: number;
    seconds: number;
    connections: number;
    scenarios: Record<string, Scenario>;
    vsStylesheet?: Record<string, number>;
    vsStylesheetTarget?: { min: number; met: boolean };
    target: { ceilingRequestsPerSecond: number | null };
    stackCpuProfile?: { byComponent?: Record<string, number> };
  };
}

const n = (value: number) => value.toLocaleString('en');
const kB = (bytes: number) => `${n(Math.round(bytes / 1000))} kB`;
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const commands = (c: Count) => `${c.total}${c.totalsSeen ? ` (runs saw ${c.totalsSeen.join(', ')})` : ''}: ${Object.entries(c.commands).map(([k, n]) => `${n > 1 ? `${n} × ` : ''}${k.replace(/Command$/, '')}`).join(' + ') || 'none'}`;

function targetCells(name: string, t: Target): (string | number)[] {
  const v = t as Record<string, number>;
  const verdict = t.reportedOnly ? 'reported' : t.met ? 'met' : '**missed**';
  if (t.reportedOnly) return [`\`${name}\``, t.what, '—', `p50 ${ms(v.p50Ms!)}, p99 ${ms(v.p99Ms!)} (GetItem p99 ${ms(v.getFloorP99Ms!)})`, verdict];
  if (name === 'load-vs-stylesheet') {
    const ratios = Object.entries((t.ratios as Record<string, number>) ?? {}).map(([k, r]) => `${k} ${x(r)}`).join(', ');
    return [`\`${name}\``, t.what, `each ≥ ${v.min}×`, `${ratios} (stylesheet ${n(v.stylesheetRequestsPerSecond!)} req/s)`, verdict];
  }
  if (name === 'ticket-page-p50-vs-one-article') return [`\`${name}\``, t.what, `≤ ${v.max}×, ≤ 2 round trips, < 1 MB`, `${x(v.measured!)}, ${v.worstRoundTrips} round trips, ${kB(v.worstBytes!)}`, verdict];
  if (name.startsWith('load-')) return [`\`${name}\``, t.what, `≥ ${v.minRequestsPerSecond} req/s, p99 < ${v.maxP99Ms} ms, none failed`, `${v.requestsPerSecond} req/s, p99 ${ms(v.p99Ms!)}, ${v.failures} failed, ${v.cores} cores`, verdict];
  if (name.startsWith('sweep-')) return [`\`${name}\``, t.what, `≤ ${n(v.max!)} items`, `${n(v.measured!)} items = ${v.ratioToDueWork}× the due work`, verdict];
  if (name.endsWith('-vs-baseline')) return [`\`${name}\``, t.what, `≤ ${v.max}×`, x(v.measured!), verdict];
  if (name.endsWith('-rss')) return [`\`${name}\``, t.what, `≤ ${v.max} MiB`, `${v.measured} MiB`, verdict];
  return [`\`${name}\``, t.what, `≤ ${v.max}`, v.measured!, verdict];
}

export function targetsSection(r: Report): string {
  const rows = Object.entries(r.targets).map(([name, t]) => targetCells(name, t));
  return ['## Targets', 'Each named by what it measures; bench/targets.ts sets the bars, bench/README.md says where each comes from.', table(['Target', 'What', 'Bar', 'This run', ''], rows)].join('\n\n');
}

export function bundleSection(r: Report): string {
  const fns = Object.entries(r.functions ?? {});
  const b = r.baseline!;
  // Runs before ota:sourceMaps measured only the variant without beside the deployed one (with).
  const deployedWithMaps = (b.coldImportMs.nodeOptions ?? '--enable-source-maps') !== '';
  const other = (c: Bundle['coldImportMs']) => (deployedWithMaps ? c.withoutSourceMaps.median : (c.withSourceMaps?.median ?? Number.NaN));
  const otherRatio = (f: FunctionReport) => (deployedWithMaps ? f.coldImportRatioWithoutSourceMaps : (f.coldImportRatioWithSourceMaps ?? Number.NaN));
  const rows = [
    ['baseline (DocumentClient + GetCommand)', `${kB(b.bundleBytes)} (${kB(b.bundleGzipBytes)} gzip)`, '1.00×', kB(b.deployedBytes), `${ms(b.coldImportMs.median)} / ${ms(b.coldImportMs.fastest)}`, '1.00× / 1.00×', ms(other(b.coldImportMs))],
    ...fns.map(([name, f]) => [
      `\`${name}\``,
      `${kB(f.bundleBytes)} (${kB(f.bundleGzipBytes)} gzip)`,
      x(f.bundleRatio.bytes),
      `${kB(f.deployedBytes)} (${f.lazyChunks.files} lazy chunks)`,
      `${ms(f.coldImportMs.median)} / ${ms(f.coldImportMs.fastest)}`,
      `${x(f.coldImportRatio)} / ${x(f.coldImportRatioFastest)}`,
      `${ms(other(f.coldImportMs))} (${x(otherRatio(f))})`,
    ]),
  ];
  const above = fns.map(([name, f]) => `- \`${name}\`: ${kB(f.bytesAboveBaseline.total ?? 0)} — ${Object.entries(f.bytesAboveBaseline.byPackage ?? {}).map(([pkg, bytes]) => `${pkg === '(project)' ? 'our own code' : pkg} ${kB(bytes)}`).join(', ')}`);
  return [
    '## Bundles and cold starts',
    `Each function is bundled as CDK deploys it (infra/bundling.ts) and imported in a fresh Node process, in rounds that take the baseline and every function in turn, so a machine that gets busier during the run slows them alike. The baseline is the least a DynamoDB-backed function can be (bench/baseline-handler.ts). "Cold-start bytes" is what a cold start reads and compiles: the entry and the chunks it imports statically. ${
      deployedWithMaps ? 'Cold imports run with `--enable-source-maps`, as deployed; the last column is without.' : 'Cold imports run without source maps, as deployed by default (`ota:sourceMaps` false); the last column is with `--enable-source-maps`, what `ota:sourceMaps` true costs.'
    }`,
    table(['Bundle', 'Cold-start bytes', '× baseline', 'Deployed', 'Cold import median / fastest', '× baseline', deployedWithMaps ? 'Without source maps' : 'With source maps'], rows),
    'Above the baseline, by package (the largest):',
    above.join('\n'),
    '**Why the bundles are split.** A cold start loads `index.mjs` and what it imports statically; what only a dynamic `import()` reaches stays on disk until asked for. Most of that is the AWS SDK’s: its default credential chain tries the environment first — where Lambda puts a function’s credentials — and imports the SSO, INI-file, web-identity, process and login providers (and the clients they use) only when the environment has none. The HTTP function also loads its senders (shared/senders.ts: the SES and EventBridge clients) on first use, since only a refresh, a self-service request or a reopen sends. test/infra/bundling.test.ts deletes a bundle’s lazy chunks and still sends on credentials from the environment, checks that the HTTP bundle’s cold start holds neither sender, and runs the bundled HTTP function through a refresh that mails a link from its senders chunk.',
    '**The SDK’s unused schemas.** The SDK writes its schema traits with computed keys, which esbuild must keep, so one `SendEmail` would bring the schemas of every SES operation. A small esbuild plugin in infra/bundling.ts rewrites those keys to the strings they name. test/infra/bundling.test.ts shows that plain esbuild keeps an unused operation and the plugin does not; once the SDK writes literal keys itself, that premise fails and the plugin can go. CDK bundles through the same `bundleFunction` the bench measures (infra/bundle-function.ts), so there is one set of settings.',
    httpBundleVerdict(r),
  ].join('\n\n');
}

/** Why the HTTP bundle meets its bar or not, from this run's bytes. */
function httpBundleVerdict(r: Report): string {
  const http = r.functions?.http;
  const target = r.targets['http-bundle-vs-baseline'];
  if (!http || !target || !r.baseline) return '';
  if (target.met) return `**The HTTP bundle against its bar:** met, at ${x(http.bundleRatio.bytes)} of the baseline.`;
  const budget = ((target.max ?? 1) - 1) * r.baseline.bundleBytes;
  const ours = http.bytesAboveBaseline.byPackage?.['(project)'] ?? 0;
  const libraries = Object.entries(http.bytesAboveBaseline.byPackage ?? {}).filter(([pkg]) => /^(@aws-lambda-powertools|zod|@middy)/.test(pkg));
  return (
    `**The HTTP bundle against its bar:** missed. ${target.max}× the baseline leaves ${kB(budget)} for everything the HTTP function holds beyond one \`GetCommand\`; it holds ${kB(http.bytesAboveBaseline.total ?? 0)} more. ` +
    `Our own code — every page in two languages, redeem, sessions, portal, self-service — is ${kB(ours)} of it${ours > budget ? ', more than the whole allowance on its own' : ''}. ` +
    `The libraries the house style asks for (${libraries.map(([pkg, bytes]) => `${pkg} ${kB(bytes)}`).join(', ') || 'Powertools, zod, middy'}) stay, so the bench reports this bar as missed on every run. ` +
    `What a customer waits for is the cold import: ${x(http.coldImportRatio)} of the baseline’s (median; ${x(http.coldImportRatioFastest)} fastest to fastest)${coldStartVerdict(r)}`
  );
}

/** Where the HTTP function's cold import goes beyond the baseline's, when it misses its bar. */
function coldStartVerdict(r: Report): string {
  const target = r.targets['http-cold-start-vs-baseline'];
  if (!target || target.met) return '.';
  return (
    `, against a bar of ${target.max}×: missed. The difference is not compiling code that is never run — V8 compiles a function when it is first called, ` +
    'and importing the portal, /access and /code areas on their first request instead of at the cold start made no difference the bench could tell from noise — ' +
    'but evaluating modules. Taking the HTTP function apart layer by layer on top of the baseline, the largest steps were zod and the configuration’s schemas ' +
    '(built at import, then the configuration checked), our own modules (routes, pages in two languages, repositories), and the Node built-ins @middy/core ' +
    'imports for streamed responses (`node:stream/web` among them); Powertools’ logger and metrics cost least. zod and middy are libraries the house style asks for, ' +
    'and the configuration must fail at start-up, naming its key, when it is wrong.'
  );
}

export function operationsSection(r: Report): string {
  const parts = ['## Requests and latency per operation'];
  for (const [name, f] of Object.entries(r.functions ?? {})) {
    if (!f.operations) continue;
    const http = Boolean(f.getFloorMs);
    const rows = Object.entries(f.operations).map(([op, o]) => [
      op,
      o.outcome,
      // Requests sent in parallel within one step are one round trip (harness/fakes.ts countRequests).
      `${commands(o.dynamoRequests)}${o.dynamoRoundTrips ? `, ${o.dynamoRoundTrips.perRun} round trip${o.dynamoRoundTrips.perRun === 1 ? '' : 's'}` : ''}`,
      ...(http ? [o.expectedDynamoRequests?.asExpected && (o.dynamoRoundTrips?.asExpected ?? true) ? 'yes' : '**no**'] : [o.otherRequests.s3?.total ?? 0, o.otherRequests.ses?.total ?? 0]),
      `${ms((o.requestLatencyMs ?? o.handlerLatencyMs).p50)} / ${ms((o.requestLatencyMs ?? o.handlerLatencyMs).p99)}`,
      ...(http ? [`${o.p99VsGetFloor?.request ?? '—'}×`] : []),
    ]);
    const head = http ? ['Operation', 'Outcome', 'DynamoDB requests', 'As designed (docs/data-model.md)', 'Request p50 / p99', 'p99 ÷ GetItem p99'] : ['Operation', 'Outcome', 'DynamoDB requests', 'S3', 'SES', 'p50 / p99'];
    parts.push(`### \`${name}\``, f.operationsScope ?? '', table(head, rows));
    if (f.getFloorMs) parts.push(`One GetItem of one item on the same client and peer, timed beside them: p50 ${ms(f.getFloorMs.p50)}, p99 ${ms(f.getFloorMs.p99)}.`);
  }
  return parts.filter(Boolean).join('\n\n');
}

export function ticketPageSection(r: Report): string {
  const scale = r.functions!.http!.ticketPageScale!;
  const rows = Object.entries(scale.cases).map(([name, c]) => [
    name,
    n(c.articles),
    n(c.trailEntries),
    `${ms(c.requestLatencyMs.p50)} / ${ms(c.requestLatencyMs.p99)}`,
    x(scale.p50RatioToOneArticle[name] ?? Number.NaN),
    kB(c.responseBytes),
    `${c.dynamoRequests} in ${c.roundTrips} round trips`,
  ]);
  return [
    '## The ticket page at real size',
    scale.scope,
    table(['Ticket', 'Articles', 'Trail entries', 'Request p50 / p99', 'p50 ÷ 1 article', 'Response', 'DynamoDB requests'], rows),
    `The page reads the ticket, its newest articles as previews (their whole texts are items of their own) and its newest trail entries and counted link opens, sent together after the session's touch, so neither its requests nor its bytes grow with what the ticket holds. The bar is ${x(scale.target.maxRatio)} of the 1-article page; the worst this run: ${x(scale.target.worstRatio)} (${scale.target.met ? 'met' : '**missed**'}).`,
  ].join('\n\n');
}

export function memorySection(r: Report): string {
  const m = r.functions!['inbound-mail']!.peakMemoryMb!;
  const rows = Object.entries(m.cases).map(([kind, c]) => [kind, `${(c.mailBytes / 1048576).toFixed(1)} MiB`, `${c.peakRssMb} MiB`, `${c.peakAboveBaselineMb} MiB`, ms(c.processingMs)]);
  return [
    '## Peak memory of the inbound function',
    `The bundled handler in a fresh process per mail, a small mail first so start-up is behind it; the peak is the kernel’s high-water mark. The bar is ${m.targetPeakRssMb} MiB. Worst case this run: ${m.worstPeakRssMb} MiB.`,
    table(['Mail', 'Size', 'Peak RSS', 'Above the warm process', 'Handling time'], rows),
  ].join('\n\n');
}

export function sweepSection(r: Report): string {
  const s = r.sweep!;
  return [
    '## The sweep',
    `${n(s.data.tickets)} tickets (${n(s.data.items)} items with their tokens) written into dynalite in ${Math.round(s.data.generation.ms / 1000)} s (${n(s.data.generation.itemsPerSecond)} items/s); ${n(s.data.dueTickets)} of them due, with ${n(s.data.dueTokens)} tokens. The sweep reads the sparse index of closed tickets, so its work grows with the due tickets, never with the table. Beside it, on the same data: the add-on’s approach, which reads every ticket with tokens, and the tokens, to find the due ones.`,
    table(
      ['', 'Items read', 'Per due ticket', 'Read capacity units', 'Time'],
      [
        ['the sweep', n(s.sweep.itemsRead), s.sweep.itemsReadPerDueTicket, n(s.sweep.readCapacityUnits), ms(s.sweep.ms)],
        ['the add-on’s approach', n(s.addOnApproach.itemsRead), s.addOnApproach.itemsReadPerDueTicket, n(s.addOnApproach.readCapacityUnits), ms(s.addOnApproach.ms)],
      ],
    ),
    `The sweep reads ${pct(s.sweepVsAddOn.itemsRead)} of the items and ${pct(s.sweepVsAddOn.readCapacity)} of the read capacity the add-on’s approach does; a second run right after reads ${s.sweep.secondRunItemsRead} items.`,
  ].join('\n\n');
}

export function loadSection(r: Report): string {
  const l = r.load!;
  const rows = Object.entries(l.scenarios).map(([name, s]) => [
    name,
    s.what,
    s.requestsPerSecond,
    `${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p90 ?? 0)} / ${ms(s.latencyMs.p99)} / ${ms(s.latencyMs.max)}`,
    s.errors + s.timeouts + s.non2xx3xx + s.unexpectedStatus,
    s.stackCpuCores ?? '—',
    s.stackCpuMsPerRequest === null ? '—' : ms(s.stackCpuMsPerRequest),
  ]);
  const profile = Object.entries(l.stackCpuProfile?.byComponent ?? {});
  return [
    '## Load on the local stack',
    `\`npm start\`’s entry as one child process on this machine (dynalite in a process of its own, the emulators, the SMTP listener, the bus and the HTTP function behind the local API Gateway stand-in), autocannon in the bench process: ${l.seconds} s per scenario, ${l.connections} connections, ${l.cores} cores.`,
    table(['Scenario', 'What', 'req/s', 'p50 / p90 / p99 / max', 'Failed', 'Stack’s cores busy', 'Stack CPU per request'], rows),
    l.target.ceilingRequestsPerSecond ? `At the mix’s CPU per request, every core of this machine given to the stack would answer at most ${l.target.ceilingRequestsPerSecond} req/s.` : '',
    l.vsStylesheet
      ? `Against the stylesheet's rate in the same run — the same stand-in and function without the table, the plumbing's ceiling here — ${Object.entries(l.vsStylesheet).map(([k, v]) => `${k} ${x(v)}`).join(', ')}; the bar for one link's landing page and a ticket page is ${x(l.vsStylesheetTarget?.min ?? 0.5)} each (${l.vsStylesheetTarget?.met ? 'met' : '**missed**'}).`
      : '',
    profile.length ? `Where the stack’s busy time went (\`OTA_BENCH_CPU_PROFILE=1\`): ${profile.map(([k, share]) => `${k} ${share} %`).join(', ')}.` : '',
    'Most of a request’s cost here is the local emulation of DynamoDB over HTTP, paid on both sides of the loopback: the SDK’s request building and signing, and dynalite’s own work. The deployed function’s DynamoDB is not on the same machine, so these rates say what the local stack can take, not what Lambda would.',
  ]
    .filter(Boolean)
    .join('\n\n');
}
