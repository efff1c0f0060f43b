/**
 * The sweep at scale (docs/operations.md, the sweep): 100 000 tickets generated into their own dynalite
 * table with batch writes (timed), 1 % of them closed long enough ago to be due, 9 % closed
 * recently (in the sparse index, not due), the rest open; one to three tokens per ticket. Then the
 * sweep use case, wired by the sweep function's own deps factory, runs once; an SDK middleware
 * counts the items DynamoDB read (harness/fakes.ts countItemsRead) and another asks every
 * request for its consumed capacity and sums it.
 *
 * Beside it, on the same data and before the sweep: the add-on's approach, which reads every ticket
 * that has tokens (and the tokens) to find the due ones — here one paginated Scan of the table,
 * which holds nothing but those tickets and tokens. Target: the sweep reads at most
 * 1.1 × (due tickets + their tokens) items.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildSweepDeps } from '../functions/sweep/deps.js';
import { createTable } from '../local/peers.js';
import { ticketItem, tokenItem } from '../shared/adapters/dynamodb/items.js';
import { DynamoTable, type WriteRequest } from '../shared/adapters/dynamodb/table.js';
import { parseConfig } from '../shared/config.js';
import type { Ticket, TokenRecord } from '../shared/domain/model.js';
import { sweepClosedTickets } from '../shared/use-cases/sweep-closed-tickets.js';
import { FakeClock, RecordingLogger, RecordingMetrics, countItemsRead } from '../harness/fakes.js';
import type { Peers } from '../harness/peers.js';
import { round } from './stats.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T04:00:00.000Z');
/** The defaults' AccessDaysAfterClose is what decides "due"; due tickets closed well before it. */
const DUE_PERCENT = 1;
const RECENT_PERCENT = 9;
export const SWEEP_TARGET_RATIO = 1.1;
/** Write requests per DynamoTable.batchWrite call (25 per BatchWriteItem), and calls in flight. */
const CHUNK = 250;
const WRITERS = 6;

type Client = { middlewareStack: { add: (mw: never, opts: { step: 'initialize'; name: string }) => void } };

/** Asks every request for its consumed capacity and sums what comes back, reads and writes apart. */
function countCapacity(client: Client) {
  const units = { read: 0, write: 0 };
  const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);
  const middleware = ((next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
    const result = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } });
    const consumed = result.output.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
    const total = [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
    units[READS.has(context.commandName ?? '') ? 'read' : 'write'] += total;
    return result;
  }) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'countCapacity' });
  return {
    get units() {
      return { read: round(units.read, 1), write: round(units.write, 1) };
    },
    reset() {
      units.read = 0;
      units.write = 0;
    },
  };
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/** Ticket i of the generated data: which kind it is and how many tokens it has. */
function generated(i: number, accessDays: number): { ticket: Ticket; tokens: TokenRecord[]; due: boolean } {
  const number = `2026${String(i).padStart(8, '0')}`;
  const createdAt = new Date(NOW.getTime() - 60 * DAY + (i % 1000) * 1000).toISOString();
  const kind = i % 100 < DUE_PERCENT ? 'due' : i % 100 < DUE_PERCENT + RECENT_PERCENT ? 'recent' : 'open';
  const closedAt = kind === 'due' ? new Date(NOW.getTime() - (accessDays + 5) * DAY + i).toISOString() : kind === 'recent' ? new Date(NOW.getTime() - DAY + i).toISOString() : undefined;
  const customerLogin = `customer${i % 20_000}@sweep.example`;
  const expiresAt = new Date(Date.parse(createdAt) + 30 * DAY).toISOString();
  const tokens = Array.from({ length: 1 + (i % 3) }, (_, t): TokenRecord => ({ hash: hash(`${number}/${t}`), ticketNumber: number, customerLogin, purpose: t ? 'refresh' : 'auto-reply', createdAt, expiresAt, sentAt: createdAt }));
  const last = tokens.at(-1)!;
  const ticket: Ticket = {
    number,
    customerLogin,
    title: `Printer ${i} is on fire`,
    state: kind === 'open' ? 'open' : 'closed',
    createdAt,
    updatedAt: closedAt ?? createdAt,
    ...(closedAt ? { closedAt } : {}),
    activeToken: { hash: last.hash, purpose: last.purpose, createdAt, expiresAt },
    autoCreatedCustomer: true,
  };
  return { ticket, tokens, due: kind === 'due' };
}

async function generate(table: DynamoTable, count: number, accessDays: number, log: (m: string) => void) {
  let next = 0;
  let items = 0;
  const due = { tickets: 0, tokens: 0 };
  let withTokens = 0;
  let reported = 0;
  const started = performance.now();
  const writer = async () => {
    while (next < count) {
      const requests: WriteRequest[] = [];
      while (next < count && requests.length < CHUNK) {
        const g = generated(next++, accessDays);
        requests.push({ put: ticketItem.to(g.ticket) }, ...g.tokens.map((t) => ({ put: tokenItem.to(t) })));
        withTokens++;
        if (g.due) {
          due.tickets++;
          due.tokens += g.tokens.length;
        }
      }
      await table.batchWrite(requests);
      items += requests.length;
      if (next - reported >= 20_000) log(`sweep: ${(reported = next)} of ${count} tickets written`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const ms = performance.now() - started;
  return { due, ticketsWithTokens: withTokens, items, ms };
}

/** The add-on's approach on the same data: every ticket with tokens read, and the tokens, a page at a time. */
async function addOnApproach(db: DynamoDBDocumentClient, name: string) {
  let scanned = 0;
  let pages = 0;
  let startKey: Record<string, unknown> | undefined;
  const started = performance.now();
  do {
    const out = await db.send(new ScanCommand({ TableName: name, Select: 'COUNT', ExclusiveStartKey: startKey }));
    scanned += out.ScannedCount ?? 0;
    pages++;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { scanned, pages, ms: performance.now() - started };
}

export async function sweepSuite(peers: Peers, log: (m: string) => void, ticketCount: number) {
  const name = `${peers.table}-sweep`;
  await createTable(peers.dynamo.url, name);
  const config = parseConfig({});
  const db = peers.docClient();
  const reads = countItemsRead(db as never);
  const capacity = countCapacity(db as never);
  const table = new DynamoTable(db, name);

  log(`sweep: generating ${ticketCount} tickets (${DUE_PERCENT} % due, ${RECENT_PERCENT} % closed recently) with 1 to 3 tokens each into dynalite`);
  const data = await generate(table, ticketCount, config.AccessDaysAfterClose, log);
  const generation = { ticketsWritten: ticketCount, itemsWritten: data.items, ms: Math.round(data.ms), itemsPerSecond: Math.round(data.items / (data.ms / 1000)), writeCapacityUnits: capacity.units.write };

  log('sweep: the add-on’s approach on the same data (every ticket with tokens read, and the tokens)');
  reads.reset();
  capacity.reset();
  const addOn = await addOnApproach(db, name);
  const addOnCapacity = capacity.units.read;

  log(`sweep: sweeping ${data.due.tickets} due tickets`);
  reads.reset();
  capacity.reset();
  const deps = buildSweepDeps({ ...peers.env, OTA_TABLE_NAME: name }, { config, clock: new FakeClock(NOW), logger: new RecordingLogger(), metrics: new RecordingMetrics(), db });
  const started = performance.now();
  const report = await sweepClosedTickets(deps, { now: NOW });
  const sweepMs = performance.now() - started;
  if (report.ticketsExamined !== data.due.tickets || report.tokensDeleted !== data.due.tokens || !report.complete) {
    throw new Error(`sweep: expected ${data.due.tickets} tickets and ${data.due.tokens} tokens swept, got ${JSON.stringify(report)}`);
  }
  const dueWork = data.due.tickets + data.due.tokens;
  const itemsRead = reads.items;
  const itemsReadByCommand = reads.byCommand();
  const sweepCapacity = capacity.units;

  // A second run finds nothing: the due tickets left the index.
  reads.reset();
  const again = await sweepClosedTickets(deps, { now: NOW });

  return {
    scope:
      'sweep-closed-tickets with the sweep function’s deps (real DynamoDB adapters) against dynalite in memory, in the bench process; ' +
      'items read counted from the responses (Query ScannedCount, GetItem item, BatchGet responses); capacity as dynalite reports it ' +
      'with ReturnConsumedCapacity TOTAL (the index query eventually consistent, the token queries strongly consistent).',
    data: {
      tickets: ticketCount,
      ticketsWithTokens: data.ticketsWithTokens,
      items: data.items,
      dueTickets: data.due.tickets,
      dueTokens: data.due.tokens,
      closedRecentlyNotDue: Math.round((ticketCount * RECENT_PERCENT) / 100),
      accessDaysAfterClose: config.AccessDaysAfterClose,
      generation,
    },
    sweep: {
      report: { ticketsExamined: report.ticketsExamined, tokensDeleted: report.tokensDeleted, pages: report.pages, complete: report.complete },
      ms: Math.round(sweepMs),
      itemsRead,
      itemsReadByCommand,
      itemsReadPerDueTicket: round(itemsRead / data.due.tickets),
      readCapacityUnits: sweepCapacity.read,
      writeCapacityUnits: sweepCapacity.write,
      secondRunItemsRead: reads.items,
      secondRunTicketsExamined: again.ticketsExamined,
    },
    addOnApproach: {
      what: 'read every ticket that has tokens, and the tokens, to find the due ones: one paginated Scan of the same table before the sweep',
      itemsRead: addOn.scanned,
      // The table holds nothing else: every ticket (each has tokens) and every token.
      itemsReadOfWhich: { tickets: data.ticketsWithTokens, tokens: addOn.scanned - data.ticketsWithTokens },
      itemsReadPerDueTicket: round(addOn.scanned / data.due.tickets),
      readCapacityUnits: addOnCapacity,
      pages: addOn.pages,
      ms: Math.round(addOn.ms),
    },
    sweepVsAddOn: { itemsRead: round(itemsRead / addOn.scanned, 4), readCapacity: round(sweepCapacity.read / addOnCapacity, 4) },
    target: {
      rule: `items read ≤ ${SWEEP_TARGET_RATIO} × (due tickets + their tokens)`,
      dueWork,
      maxItemsRead: round(SWEEP_TARGET_RATIO * dueWork, 1),
      itemsRead,
      ratio: round(itemsRead / dueWork, 3),
      withinTarget: itemsRead <= SWEEP_TARGET_RATIO * dueWork,
    },
  };
}
