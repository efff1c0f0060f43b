/**
 * The sweep (docs/operations.md, "The sweep") against dynalite: the day boundaries of AccessDaysAfterClose, merged
 * and removed tickets, a reopen in between, a run interrupted after one page, and the work growing
 * with the due tickets, never with the table — counted in items DynamoDB read, never timed.
 */
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../shared/config.js';
import { repositories } from '../../shared/adapters/dynamodb/repositories.js';
import { DynamoTable } from '../../shared/adapters/dynamodb/table.js';
import { ticketItem, tokenItem } from '../../shared/adapters/dynamodb/items.js';
import { createTable } from '../../local/peers.js';
import type { Ticket, TicketState } from '../../shared/domain/model.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { sweepClosedTickets } from '../../shared/use-cases/sweep-closed-tickets.js';
import { buildSweepDeps } from '../../functions/sweep/deps.js';
import { makeHandler } from '../../functions/sweep/handler.js';
import { FakeClock, RecordingLogger, RecordingMetrics, countItemsRead } from '../support/fakes.js';
import { useLocalSystem } from '../support/system.js';

const { peers } = useLocalSystem();

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T12:00:00.000Z');

/** A fresh table, its repositories, a sweep over them, and a way to seed tickets with sent tokens. */
async function world(configOverride: Record<string, unknown> = {}) {
  const name = `sweep-${randomUUID().slice(0, 8)}`;
  await createTable(peers.dynamo.url, name);
  const config = parseConfig({ ...configOverride });
  const db = peers.docClient();
  const reads = countItemsRead(db as never);
  const repos = repositories(db, name, config);
  const clock = new FakeClock(T0);
  const deps = { config, clock, tickets: repos.tickets, tokens: repos.tokens, logger: new RecordingLogger(), metrics: new RecordingMetrics() };
  const seed = async (tickets: Ticket[], tokensPerTicket: number) => {
    const table = new DynamoTable(db, name);
    const items = tickets.flatMap((t) => [
      { put: ticketItem.to(t) },
      ...Array.from({ length: tokensPerTicket }, (_, i) => ({
        put: tokenItem.to({ hash: `${t.number}-h${i}`, ticketNumber: t.number, customerLogin: t.customerLogin, purpose: 'auto-reply', createdAt: t.createdAt, expiresAt: new Date(Date.parse(t.createdAt) + 30 * DAY).toISOString(), sentAt: t.createdAt }),
      })),
    ]);
    await table.batchWrite(items);
  };
  return { name, db, reads, repos, clock, deps, seed, config };
}

const ticket = (i: number, over: Partial<Ticket> = {}): Ticket => ({
  number: `20261101${String(i).padStart(6, '0')}`,
  customerLogin: `c${i % 50}@sweep.example`,
  title: `t${i}`,
  state: 'open',
  createdAt: T0.toISOString(),
  updatedAt: T0.toISOString(),
  autoCreatedCustomer: true,
  ...over,
});

/** Closed through the use case every state change goes through. */
async function close(w: Awaited<ReturnType<typeof world>>, number: string, at: Date, state: TicketState = 'closed', mergedInto?: string) {
  w.clock.set(at.toISOString());
  await changeTicketState(w.deps, { ticketNumber: number, state, mergedInto });
}

describe('sweep: which tickets are due', () => {
  it.each([
    [13, false],
    [14, true],
    [15, true],
  ])('with AccessDaysAfterClose 14, a ticket closed %s days ago is swept: %s', async (days, swept) => {
    const w = await world();
    await w.seed([ticket(1)], 2);
    await close(w, ticket(1).number, T0);

    const report = await sweepClosedTickets(w.deps, { now: new Date(T0.getTime() + days * DAY) });

    expect(report.ticketsExamined).toBe(swept ? 1 : 0);
    expect(report.tokensDeleted).toBe(swept ? 2 : 0);
    expect(await w.repos.tokens.listByTicket(ticket(1).number)).toHaveLength(swept ? 0 : 2);
    // Swept tickets leave the index: the next run has nothing to do.
    expect((await w.repos.tickets.dueForSweep(new Date(T0.getTime() + 100 * DAY).toISOString())).items).toHaveLength(swept ? 0 : 1);
  });

  it('with AccessDaysAfterClose 0 sweeps every closed ticket at once, and leaves open ones alone', async () => {
    const w = await world({ AccessDaysAfterClose: 0 });
    await w.seed([ticket(1), ticket(2)], 1);
    await close(w, ticket(1).number, T0);

    const report = await sweepClosedTickets(w.deps, { now: T0 });

    expect(report).toMatchObject({ ticketsExamined: 1, tokensDeleted: 1, complete: true });
    expect(await w.repos.tokens.listByTicket(ticket(2).number)).toHaveLength(1);
  });

  it('sweeps merged and removed tickets like closed ones', async () => {
    const w = await world();
    await w.seed([ticket(1), ticket(2), ticket(3)], 1);
    await close(w, ticket(1).number, T0, 'merged', ticket(3).number);
    await close(w, ticket(2).number, T0, 'removed');

    const report = await sweepClosedTickets(w.deps, { now: new Date(T0.getTime() + 20 * DAY) });

    expect(report.ticketsExamined).toBe(2);
    expect(await w.repos.tokens.listByTicket(ticket(3).number)).toHaveLength(1);
  });

  it('leaves a ticket alone that was reopened, and counts a new close from its own day', async () => {
    const w = await world();
    await w.seed([ticket(1)], 1);
    await close(w, ticket(1).number, T0);
    w.clock.set(new Date(T0.getTime() + DAY).toISOString());
    await changeTicketState(w.deps, { ticketNumber: ticket(1).number, state: 'open' });
    await close(w, ticket(1).number, new Date(T0.getTime() + 10 * DAY));

    const early = await sweepClosedTickets(w.deps, { now: new Date(T0.getTime() + 20 * DAY) });
    const later = await sweepClosedTickets(w.deps, { now: new Date(T0.getTime() + 24 * DAY) });

    expect(early.ticketsExamined).toBe(0);
    expect(later.ticketsExamined).toBe(1);
  });

  it('keeps the tokens of a ticket reopened after the index was read (the index is eventually consistent in AWS)', async () => {
    // Prepare: the sweep reads the index while the ticket is closed; it is reopened before the sweep acts.
    const w = await world();
    await w.seed([ticket(1)], 2);
    await close(w, ticket(1).number, T0);
    const stale = await w.repos.tickets.dueForSweep(new Date(T0.getTime() + 30 * DAY).toISOString());
    await changeTicketState(w.deps, { ticketNumber: ticket(1).number, state: 'open' });
    const tickets = { ...w.repos.tickets, dueForSweep: async () => stale, update: w.repos.tickets.update.bind(w.repos.tickets) };

    const report = await sweepClosedTickets({ ...w.deps, tickets }, { now: new Date(T0.getTime() + 30 * DAY) });

    expect(stale.items.map((d) => d.number)).toEqual([ticket(1).number]);
    expect(report).toMatchObject({ ticketsExamined: 1, tokensDeleted: 0 });
    expect(await w.repos.tokens.listByTicket(ticket(1).number)).toHaveLength(2);
    expect((await w.repos.tickets.get(ticket(1).number))?.state).toBe('open');
  });

  it('moves the active token’s TTL to the close window, and back on reopen', async () => {
    const w = await world();
    const minted = T0.toISOString();
    await w.seed([ticket(1, { activeToken: { hash: `${ticket(1).number}-h0`, purpose: 'auto-reply', createdAt: minted, expiresAt: new Date(T0.getTime() + 30 * DAY).toISOString() } })], 1);
    const ttl = async () => ((await w.repos.table.get({ pk: `TICKET#${ticket(1).number}`, sk: `TOKEN#${ticket(1).number}-h0` }))?.ttl as number) * 1000;

    await close(w, ticket(1).number, new Date(T0.getTime() + 2 * DAY));
    const closed = { ttl: await ttl(), pointer: (await w.repos.tickets.get(ticket(1).number))?.activeToken?.expiresAt };
    w.clock.set(new Date(T0.getTime() + 3 * DAY).toISOString());
    await changeTicketState(w.deps, { ticketNumber: ticket(1).number, state: 'open' });

    expect(closed.ttl).toBe(T0.getTime() + 16 * DAY);
    expect(closed.pointer).toBe(new Date(T0.getTime() + 16 * DAY).toISOString());
    expect(await ttl()).toBe(T0.getTime() + 30 * DAY);
    expect((await w.repos.tickets.get(ticket(1).number))?.activeToken?.expiresAt).toBe(new Date(T0.getTime() + 30 * DAY).toISOString());
  });
});

describe('sweep: work and resumption', () => {
  it('reads, for 10 000 tickets with 1 % due, at most 1.1 × (due tickets + their tokens) items', async () => {
    // Prepare: 10 000 tickets with 3 tokens each; 5 000 closed recently (indexed, not due), 100 closed long ago (due).
    const w = await world();
    const due = Array.from({ length: 100 }, (_, i) => ticket(i, { state: 'closed', closedAt: new Date(T0.getTime() - 30 * DAY + i * 1000).toISOString() }));
    const recent = Array.from({ length: 4_900 }, (_, i) => ticket(100 + i, { state: 'closed', closedAt: new Date(T0.getTime() - DAY).toISOString() }));
    const open = Array.from({ length: 5_000 }, (_, i) => ticket(5_000 + i));
    await w.seed([...due, ...recent, ...open], 3);
    w.reads.reset();

    const report = await sweepClosedTickets(w.deps, { now: T0 });

    const dueWork = 100 + 100 * 3;
    expect(report).toMatchObject({ ticketsExamined: 100, tokensDeleted: 300, complete: true });
    expect(w.reads.items).toBeLessThanOrEqual(1.1 * dueWork);
    expect(w.reads.byCommand()).not.toHaveProperty('ScanCommand');
  }, 120_000);

  it('stops cleanly when time runs short, and the next run finishes the job', async () => {
    const w = await world();
    const tickets = Array.from({ length: 250 }, (_, i) => ticket(i, { state: 'closed', closedAt: new Date(T0.getTime() - 30 * DAY).toISOString() }));
    await w.seed(tickets, 1);
    let calls = 0;

    const first = await sweepClosedTickets(w.deps, { now: T0, remainingMs: () => (++calls > 1 ? 5_000 : 60_000) });
    const second = await sweepClosedTickets(w.deps, { now: T0 });

    expect(first).toMatchObject({ complete: false, ticketsExamined: 100, pages: 1 });
    expect(second).toMatchObject({ complete: true, ticketsExamined: 150 });
    expect((await w.repos.tickets.dueForSweep(T0.toISOString())).items).toEqual([]);
  });

  it('does no harm when two runs overlap', async () => {
    const w = await world();
    const tickets = Array.from({ length: 60 }, (_, i) => ticket(i, { state: 'closed', closedAt: new Date(T0.getTime() - 30 * DAY).toISOString() }));
    await w.seed(tickets, 2);

    const runs = await Promise.all([sweepClosedTickets(w.deps, { now: T0 }), sweepClosedTickets(w.deps, { now: T0 })]);

    // Both may delete the same token at the same moment (a delete is idempotent): every token is gone once, the index is empty, nothing failed.
    expect(runs.every((r) => r.complete)).toBe(true);
    for (const t of tickets) expect(await w.repos.tokens.listByTicket(t.number)).toEqual([]);
    expect((await w.repos.tickets.dueForSweep(T0.toISOString())).items).toEqual([]);
    expect((await w.repos.tickets.get(tickets[0]!.number))?.state).toBe('closed');
  });
});

describe('sweep function', () => {
  it('sweeps as of the moment the CLI names, and refuses a moment that is not one', async () => {
    const w = await world();
    await w.seed([ticket(1, { state: 'closed', closedAt: T0.toISOString() })], 1);
    const handler = makeHandler(buildSweepDeps({ ...peers.env, OTA_TABLE_NAME: w.name }, { logger: new RecordingLogger(), metrics: new RecordingMetrics() }));

    const before = await handler.handleSweep({ now: new Date(T0.getTime() + 13 * DAY).toISOString() });
    const after = await handler.handleSweep({ now: new Date(T0.getTime() + 15 * DAY).toISOString() });

    expect([before.ticketsExamined, after.ticketsExamined]).toEqual([0, 1]);
    await expect(handler.handleSweep({ now: 'tomorrow' })).rejects.toThrow(/now: expected an ISO time/);
  });
});
