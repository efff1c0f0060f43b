/**
 * The ticket page at real size: the same page of four tickets — 1 article; 100; 1 000; 1 000 with
 * 10 000 trail entries — each article near ArticleTextMaxBytes, fetched through the HTTP function
 * against dynalite. Reported per ticket: request p50 and p99, response bytes, DynamoDB requests and
 * round trips (requests sent together count once); and each p50 as a ratio to the 1-article page
 * measured in the same run (target ≤ 1.3×: what a page costs must not grow with what the ticket holds).
 */
import { performance } from 'node:perf_hooks';
import { buildHttpDeps } from '../functions/http/deps.js';
import { makeHandler } from '../functions/http/handler.js';
import { apiGateway } from '../local/api-gateway.js';
import { lambdaContext } from '../local/lambda-api.js';
import { parseConfig } from '../shared/config.js';
import type { Article } from '../shared/domain/model.js';
import type { TrailEntry } from '../shared/domain/trail.js';
import { FakeClock, RecordingLogger, countRequests } from '../harness/fakes.js';
import { Browser } from '../harness/http-browser.js';
import { inboundHarness } from '../harness/inbound.js';
import { mime } from '../harness/mail.js';
import { BENCH_CONFIG, loopbackServer, type SuiteContext } from './context.js';
import { round, summarize } from './stats.js';

export const PAGE_RATIO_TARGET = 1.3;
export const PAGE_ROUND_TRIPS_TARGET = 2;
export const PAGE_BYTES_TARGET = 1024 * 1024;

const SHAPES = [
  { name: '1-article', articles: 1, trail: 0 },
  { name: '100-articles', articles: 100, trail: 0 },
  { name: '1000-articles', articles: 1000, trail: 0 },
  { name: '1000-articles-10000-trail', articles: 1000, trail: 10_000 },
] as const;
const WARMUP = 5;
const LINK_PATH = /\/link\/(\d+)\/([A-Za-z0-9_-]{43})/;

export async function ticketPageScale({ peers, settings, log }: SuiteContext) {
  const runs = Math.max(10, Math.round(settings.httpIterations / 2));
  // Links in mail must point at this server: PortalUrl is where it listens.
  const { server, base, close } = await loopbackServer();
  try {
    const configInput = { ...BENCH_CONFIG, PortalUrl: base };
    const clock = new FakeClock();
    const db = peers.docClient();
    const counter = countRequests(db as never);
    const deps = buildHttpDeps(peers.env, { config: parseConfig(configInput), clock, logger: new RecordingLogger(), db, ses: peers.sesClient(), events: peers.eventsClient() });
    const handler = makeHandler(deps);
    server.on('request', apiGateway((event, context) => handler(event, context), () => lambdaContext('http'), log));
    const inbound = inboundHarness(peers, configInput);
    inbound.clock.set(clock.now().toISOString());

    // Every ticket first, as a customer makes one, then what years of mail and clicks would leave on it.
    const tickets: { shape: (typeof SHAPES)[number]; ticketNumber: string; browser: Browser }[] = [];
    for (const shape of SHAPES) {
      const from = `scale-${shape.name}@bench.example`;
      const sent: { text: string }[] = [];
      const ses = inbound.with({ mailer: { send: async (m) => (sent.push(m), { messageId: `bench-${sent.length}` }) } });
      await inbound.deliver(`scale-${shape.name}`, await mime({ from, subject: `Scale ${shape.name}`, text: 'The first message.' }), {}, ses);
      const link = LINK_PATH.exec(sent[0]?.text ?? '');
      if (!link?.[1]) throw new Error(`ticket page scale: no link for ${shape.name}`);
      const ticketNumber = link[1];
      log(`ticket page scale: ${shape.name}: writing ${shape.articles - 1} more articles and ${shape.trail} trail entries`);
      const start = clock.now().getTime();
      const at = (ms: number) => new Date(start + ms).toISOString();
      const text = 'A long mail, near ArticleTextMaxBytes. '.repeat(2400);
      for (let i = 1; i < shape.articles; i++) {
        const article: Article = { ticketNumber, articleId: `${at(i * 1000)}#scale${i}`, direction: i % 2 ? 'outbound' : 'inbound', fromAddress: from, fromName: 'Bench', subject: `Re: ${i}`, text, textTruncated: false, attachments: [], createdAt: at(i * 1000) };
        await deps.tickets.addArticle(article);
      }
      const trail: TrailEntry[] = Array.from({ length: shape.trail }, (_, i) => ({ ticketNumber, at: at(i), event: 'link-mailed', requestId: `scale${i}` }));
      if (trail.length) await deps.trail.record(trail);
      const browser = new Browser(base);
      const redeemed = await browser.post(link[0]);
      if (redeemed.status !== 303) throw new Error(`ticket page scale: redeem of ${shape.name} answered ${redeemed.status}`);
      tickets.push({ shape, ticketNumber, browser });
    }

    // Round by round, each ticket's page in turn: a machine that gets busier slows them all alike.
    log(`ticket page scale: ${WARMUP} warm-up + ${runs} measured rounds over ${tickets.length} tickets`);
    const samples = new Map<string, { ms: number[]; bytes: number; rounds: string[][] }>(tickets.map((t) => [t.shape.name, { ms: [], bytes: 0, rounds: [] }]));
    for (let i = 0; i < WARMUP + runs; i++) {
      for (const { shape, ticketNumber, browser } of tickets) {
        const own = samples.get(shape.name)!;
        counter.reset();
        const started = performance.now();
        const page = await browser.get(`/tickets/${ticketNumber}`);
        const took = performance.now() - started;
        if (page.status !== 200) throw new Error(`ticket page scale: ${shape.name} answered ${page.status}`);
        if (i >= WARMUP) own.ms.push(took);
        own.bytes = Buffer.byteLength(page.text);
        own.rounds = counter.rounds;
      }
    }
    const cases: Record<string, Record<string, unknown>> = {};
    const p50 = new Map<string, number>();
    for (const { shape } of tickets) {
      const own = samples.get(shape.name)!;
      const latency = summarize(own.ms);
      p50.set(shape.name, latency.p50);
      cases[shape.name] = {
        articles: shape.articles,
        trailEntries: shape.trail,
        requestLatencyMs: latency,
        responseBytes: own.bytes,
        dynamoRequests: own.rounds.flat().length,
        roundTrips: own.rounds.length,
        requestsByRoundTrip: own.rounds,
      };
      log(`ticket page scale: ${shape.name}: p50 ${latency.p50} ms, ${own.bytes} bytes, ${own.rounds.length} round trips`);
    }
    const one = p50.get('1-article') ?? Number.NaN;
    const ratios = Object.fromEntries([...p50].map(([name, v]) => [name, round(v / one)]));
    const worstRatio = Math.max(...Object.values(ratios));
    const worstRoundTrips = Math.max(...Object.values(cases).map((c) => c.roundTrips as number));
    const worstBytes = Math.max(...Object.values(cases).map((c) => c.responseBytes as number));
    return {
      scope:
        'The HTTP function from its own factory behind the local API Gateway stand-in, against dynalite in memory; each article near ArticleTextMaxBytes ' +
        `(about 94 kB of text), trail entries written as decisions; ${runs} measured requests per ticket after ${WARMUP} warm-up.`,
      cases,
      p50RatioToOneArticle: ratios,
      target: {
        maxRatio: PAGE_RATIO_TARGET,
        worstRatio,
        maxRoundTrips: PAGE_ROUND_TRIPS_TARGET,
        worstRoundTrips,
        maxBytes: PAGE_BYTES_TARGET,
        worstBytes,
        met: worstRatio <= PAGE_RATIO_TARGET && worstRoundTrips <= PAGE_ROUND_TRIPS_TARGET && worstBytes < PAGE_BYTES_TARGET,
      },
    };
  } finally {
    await close();
  }
}
