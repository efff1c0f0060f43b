/**
 * The HTTP function, operation by operation: built by its own factory (buildHttpDeps + makeHandler,
 * as functions/http/index.ts does) in the bench process, served by the local API Gateway stand-in
 * (payload v2 events) on node:http and fetched over loopback, against the local peers. DynamoDB
 * requests are counted by an SDK middleware on the client handed in as `db`.
 *
 * Before the clock starts, one ticket per iteration is made the way a customer makes one: a mail
 * in through receive-mail (a new sender each, so the auto-reply cap never interferes), the link of
 * its auto-reply captured. Each iteration then follows a customer's first visit with that link:
 *   link-landing        GET of the link: the page with the button (spends nothing);
 *   link-redeem         POST of the link from the page: 303 to the ticket and a session cookie;
 *   portal-ticket-page  GET of the ticket page with that cookie;
 *   code-sign-in        POST /code with the ticket number and the code of the same mail, from
 *                       another browser (a second device): 303 to the ticket and a session cookie.
 * In the same iterations, one GetCommand of one item on the same client: the floor any request
 * pays locally, so each operation's p99 reads as a multiple of it.
 */
import { performance } from 'node:perf_hooks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildHttpDeps } from '../functions/http/deps.js';
import { makeHandler } from '../functions/http/handler.js';
import { apiGateway } from '../local/api-gateway.js';
import { lambdaContext } from '../local/lambda-api.js';
import { SesMailer } from '../shared/adapters/ses/ses-mailer.js';
import { parseConfig } from '../shared/config.js';
import type { OutboundMail } from '../shared/ports/mail.js';
import { FakeClock, RecordingLogger, countRequests } from '../harness/fakes.js';
import { inboundHarness } from '../harness/inbound.js';
import { mime } from '../harness/mail.js';
import { Browser } from '../harness/http-browser.js';
import { BENCH_CONFIG, loopbackServer, type OperationResult, type OperationSuite } from './context.js';
import { countOf, round, summarize } from './stats.js';

const WARMUP = 10;

const OPERATIONS = ['link-landing', 'link-redeem', 'portal-ticket-page', 'code-sign-in'] as const;
type Operation = (typeof OPERATIONS)[number];
const OUTCOME: Record<Operation, string> = {
  'link-landing': '200, the landing page with the button',
  'link-redeem': '303 to the ticket page, session cookie set',
  'portal-ticket-page': '200, the ticket page',
  'code-sign-in': '303 to the ticket page, session cookie set',
};
/** What each operation may cost (open-link.ts, redeem-link.ts, docs/data-model.md). */
const EXPECTED_DYNAMO: Record<Operation, string[]> = {
  // A link's first open in its hour: the token's item, then the hour's counted entry (later opens: mostly none, open-tally.ts).
  'link-landing': ['GetItemCommand', 'UpdateItemCommand'],
  // The spend (one conditional update of the ticket); the session and its trail entry in one batch.
  'link-redeem': ['UpdateItemCommand', 'BatchWriteItemCommand'],
  // The session touched (idle lifetime); then, sent together, the ticket and the newest articles, trail and opens.
  'portal-ticket-page': ['UpdateItemCommand', 'GetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand'],
  // In parallel: an attempt from the ticket's and the client's hourly buckets, and the code's spend
  // (three conditional updates); then the session and its trail entry in one batch.
  'code-sign-in': ['UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'BatchWriteItemCommand'],
};
/** Round trips each operation may take: a sign-in, by link or by code, two (docs/data-model.md). */
const EXPECTED_ROUND_TRIPS: Record<Operation, number> = { 'link-landing': 2, 'link-redeem': 2, 'portal-ticket-page': 2, 'code-sign-in': 2 };
const PEERS = ['dynamodb', 'ses', 'events'] as const;
type PeerName = (typeof PEERS)[number];
const LINK_PATH = /\/link\/(\d+)\/([A-Za-z0-9_-]{43})/;
const CODE = /\b([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})\b/;
/** The floor reads an item about the size of a ticket's. */
const FLOOR_KEY = { pk: 'BENCH#floor', sk: 'ITEM' };

interface Sample {
  ms: number;
  handlerMs: number;
  commands: Record<PeerName, string[]>;
  /** DynamoDB round trips: requests sent together count once. */
  dynamoRoundTrips: number;
}

type Reply = Awaited<ReturnType<Browser['request']>>;

export const httpOperations: OperationSuite = async ({ peers, settings, log }) => {
  const RUNS = settings.httpIterations;
  // Links in mail must point at this server: PortalUrl is where it listens.
  const { server, base, close } = await loopbackServer();
  try {
    // Every sign-in comes from this one machine: its client bucket must not be what the bench measures.
    const configInput = { ...BENCH_CONFIG, PortalUrl: base, SignInCodeLimits: { PerTicketPerHour: 5, PerClientIpPerHour: 100_000 } };
    const clock = new FakeClock();
    const logger = new RecordingLogger();
    const db = peers.docClient();
    const ses = peers.sesClient();
    const events = peers.eventsClient();
    const counters = { dynamodb: countRequests(db as never), ses: countRequests(ses as never), events: countRequests(events as never) };
    // The metrics port is the deployed one (Powertools, disabled by the peers' env): a recorder here would
    // leave Powertools empty, and it would warn on every request.
    const handler = makeHandler(buildHttpDeps(peers.env, { config: parseConfig(configInput), clock, logger, db, ses, events }));
    // Requests go one at a time, so one variable carries the handler's time out of the gateway.
    let handlerMs = Number.NaN;
    const timedHandler = async (...args: Parameters<typeof handler>) => {
      const started = performance.now();
      try {
        return await handler(...args);
      } finally {
        handlerMs = performance.now() - started;
      }
    };
    server.on('request', apiGateway((event, context) => timedHandler(event, context), () => lambdaContext('http'), log));

    const tickets = await makeTickets(peers, configInput, clock, WARMUP + RUNS, log);
    await db.send(new PutCommand({ TableName: peers.table, Item: { ...FLOOR_KEY, subject: 'Printer on fire', body: 'x'.repeat(1024) } }));

    async function measure(op: Operation, request: () => Promise<Reply>, check: (reply: Reply) => boolean, ticket: string): Promise<Sample> {
      PEERS.forEach((p) => counters[p].reset());
      handlerMs = Number.NaN;
      const started = performance.now();
      const reply = await request();
      const ms = performance.now() - started;
      if (!check(reply)) {
        const errors = logger.lines.filter((l) => l.level === 'error').slice(-3);
        throw new Error(`${op} of ticket ${ticket}: expected ${OUTCOME[op]}, got ${reply.status}\n${reply.text.slice(0, 300)}\n${JSON.stringify(errors)}`);
      }
      return { ms, handlerMs, commands: { dynamodb: counters.dynamodb.commands, ses: counters.ses.commands, events: counters.events.commands }, dynamoRoundTrips: counters.dynamodb.roundTrips };
    }

    const samples: Record<Operation, Sample[]> = { 'link-landing': [], 'link-redeem': [], 'portal-ticket-page': [], 'code-sign-in': [] };
    const floor: number[] = [];
    log(`http operations: ${WARMUP} warm-up + ${RUNS} measured iterations of ${OPERATIONS.join(', ')}, each beside one GetCommand`);
    for (const [i, t] of tickets.entries()) {
      const started = performance.now();
      const got = await db.send(new GetCommand({ TableName: peers.table, Key: FLOOR_KEY }));
      const floorMs = performance.now() - started;
      if (!got.Item) throw new Error('the GetCommand floor found no item');

      const browser = new Browser(base);
      const landing = await measure('link-landing', () => browser.get(t.path), (r) => r.status === 200 && r.text.includes(`action="${t.path}"`), t.ticketNumber);
      const redeem = await measure(
        'link-redeem',
        () => browser.post(t.path),
        (r) => r.status === 303 && r.headers.get('location') === `/tickets/${t.ticketNumber}` && r.setCookies.some((c) => c.startsWith('ota_session=')),
        t.ticketNumber,
      );
      const page = await measure('portal-ticket-page', () => browser.get(`/tickets/${t.ticketNumber}`), (r) => r.status === 200 && r.text.includes(t.subject), t.ticketNumber);
      const phone = new Browser(base);
      const code = await measure(
        'code-sign-in',
        () => phone.post('/code', { ticketNumber: t.ticketNumber, code: t.code }),
        (r) => r.status === 303 && r.headers.get('location') === `/tickets/${t.ticketNumber}` && r.setCookies.some((c) => c.startsWith('ota_session=')),
        t.ticketNumber,
      );

      if (i >= WARMUP) {
        floor.push(floorMs);
        samples['link-landing'].push(landing);
        samples['link-redeem'].push(redeem);
        samples['portal-ticket-page'].push(page);
        samples['code-sign-in'].push(code);
      }
    }

    const getFloorMs = { what: 'one GetCommand of one 1 kB item, same DynamoDB client and dynalite, from the bench process', ...summarize(floor) };
    const operations = Object.fromEntries(
      OPERATIONS.map((op): [Operation, OperationResult] => {
        const dynamoRequests = countOf(samples[op].map((s) => s.commands.dynamodb));
        const requestLatencyMs = summarize(samples[op].map((s) => s.ms));
        const handlerLatencyMs = summarize(samples[op].map((s) => s.handlerMs));
        const seen = samples[op].map((s) => [...s.commands.dynamodb].sort().join());
        const expected = [...EXPECTED_DYNAMO[op]].sort().join();
        const trips = [...new Set(samples[op].map((s) => s.dynamoRoundTrips))].sort((a, b) => a - b);
        return [
          op,
          {
            outcome: OUTCOME[op],
            dynamoRequests,
            expectedDynamoRequests: { commands: EXPECTED_DYNAMO[op], asExpected: seen.every((s) => s === expected) },
            dynamoRoundTrips: {
              perRun: samples[op][0]?.dynamoRoundTrips ?? 0,
              expectedAtMost: EXPECTED_ROUND_TRIPS[op],
              asExpected: trips.every((n) => n <= EXPECTED_ROUND_TRIPS[op]),
              ...(trips.length > 1 ? { seen: trips } : {}),
            },
            otherRequests: { ses: countOf(samples[op].map((s) => s.commands.ses)), events: countOf(samples[op].map((s) => s.commands.events)) },
            requestLatencyMs,
            handlerLatencyMs,
            p99VsGetFloor: { request: round(requestLatencyMs.p99 / getFloorMs.p99, 1), handler: round(handlerLatencyMs.p99 / getFloorMs.p99, 1) },
          },
        ];
      }),
    );
    for (const [op, r] of Object.entries(operations)) {
      if (!r.expectedDynamoRequests?.asExpected) log(`http operations: ${op} made ${JSON.stringify(r.dynamoRequests)} DynamoDB requests, expected ${EXPECTED_DYNAMO[op as Operation].join(' + ')}`);
      if (!r.dynamoRoundTrips?.asExpected) log(`http operations: ${op} took ${JSON.stringify(r.dynamoRoundTrips)} DynamoDB round trips, expected at most ${EXPECTED_ROUND_TRIPS[op as Operation]}`);
    }
    return {
      scope:
        'HTTP function from its own factory (real DynamoDB adapters, middy with the security headers and metrics middleware) in the ' +
        'bench process, served through the local API Gateway stand-in (payload v2) on node:http and fetched over loopback with ' +
        'keep-alive, against dynalite in memory on this machine: local-peer latency, not AWS latency. requestLatencyMs is fetch to the ' +
        'last body byte; handlerLatencyMs is the handler alone. Fake clock; the logger port is a recorder (no stdout), metrics go through Powertools with metrics disabled (as locally).',
      operations,
      getFloorMs,
    };
  } finally {
    await close();
  }
};

/** `count` tickets, each opened by a mail from a new customer; their links and subjects. */
async function makeTickets(peers: Parameters<OperationSuite>[0]['peers'], configInput: Record<string, unknown>, clock: FakeClock, count: number, log: (m: string) => void) {
  const inbound = inboundHarness(peers, configInput);
  // One clock for both: the mail arrives, the link is clicked (at the same instant: well within its validity).
  inbound.clock.set(clock.now().toISOString());
  // The mail still goes to the SES emulator; the copy kept here saves reading its outbox back.
  const sent: OutboundMail[] = [];
  const ses = new SesMailer(peers.sesClient());
  const deps = inbound.with({ mailer: { send: (mail) => (sent.push(mail), ses.send(mail)) } });
  log(`http operations: making ${count} tickets with a link (mail in through receive-mail)`);
  const tickets: { ticketNumber: string; path: string; subject: string; code: string }[] = [];
  for (let i = 0; i < count; i++) {
    sent.length = 0;
    const subject = `Printer ${i} is on fire`;
    const outcome = await inbound.deliver(`benchhttp${i}`, await mime({ from: `Customer ${i} <http${i}@bench.example>`, subject, text: 'Help! The printer is on fire.' }), {}, deps);
    const link = LINK_PATH.exec(sent[0]?.text ?? '');
    const code = CODE.exec(sent[0]?.text ?? '');
    if (outcome !== 'replied' || !link?.[1] || !code?.[1]) throw new Error(`http operations: mail ${i} answered ${outcome}, ${sent.length ? 'no link or code in the reply' : 'no reply'}`);
    tickets.push({ ticketNumber: link[1], path: link[0], subject, code: code[1] });
  }
  return tickets;
}
