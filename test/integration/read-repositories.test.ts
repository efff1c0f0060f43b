import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startPeers, type Peers } from '../support/peers.js';
import { countRequests } from '../support/fakes.js';
import { batchPut } from '../../shared/adapters/dynamodb/batch.js';
import { articleItem, customerItem, ticketItem, tokenItem } from '../../shared/adapters/dynamodb/items.js';
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.js';
import { DynamoTicketRepository } from '../../shared/adapters/dynamodb/ticket-repository.js';
import { InvalidCursorError } from '../../shared/adapters/dynamodb/query.js';
import type { Customer, Ticket, TicketState } from '../../shared/domain/model.js';

let peers: Peers;
let db: DynamoDBDocumentClient;

const customer = (login: string): Customer => ({ login, customerId: login, email: login, language: 'en', disabled: false, source: 'mail', failedLogins: 0, createdAt: '2026-11-01T00:00:00.000Z' });
const ticket = (n: number, login: string, state: TicketState): Ticket => ({
  number: `2026110${n}000001`,
  customerLogin: login,
  title: `t${n}`,
  state,
  createdAt: `2026-11-0${n}T00:00:00.000Z`,
  updatedAt: `2026-11-0${n}T00:00:00.000Z`,
  autoCreatedCustomer: true,
});

beforeAll(async () => {
  // Prepare: 3 customers, 6 tickets (odd ones closed), 2 articles and 2 tokens on ticket 1.
  peers = await startPeers();
  db = peers.docClient();
  const logins = ['carol@r.example', 'alice@r.example', 'bob@r.example'];
  const tickets = [1, 2, 3, 4, 5, 6].map((n) => ticket(n, n <= 3 ? 'alice@r.example' : 'bob@r.example', n % 2 ? 'closed' : 'open'));
  const t1 = tickets[0]!.number;
  await batchPut(db, peers.table, [
    ...logins.map((l) => customerItem.to(customer(l))),
    ...tickets.map((t) => ticketItem.to(t)),
    ...['2026-11-01T00:00:00.000Z#b', '2026-11-01T01:00:00.000Z#a'].map((articleId) =>
      articleItem.to({ ticketNumber: t1, articleId, direction: 'inbound', fromAddress: 'alice@r.example', fromName: '', subject: 's', text: articleId, textTruncated: false, attachments: [], createdAt: articleId.slice(0, 24) }),
    ),
    tokenItem.to({ hash: 'zzz-newer', ticketNumber: t1, customerLogin: 'alice@r.example', purpose: 'auto-reply', createdAt: '2026-11-02T00:00:00.000Z', expiresAt: '2026-12-02T00:00:00.000Z' }),
    tokenItem.to({ hash: 'aaa-older', ticketNumber: t1, customerLogin: 'alice@r.example', purpose: 'auto-reply', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z' }),
  ]);
});
afterAll(async () => {
  await peers.stop();
});

describe('DynamoCustomerRepository', () => {
  it('lists customers by login, page by page', async () => {
    const repo = new DynamoCustomerRepository(db, peers.table);

    const first = await repo.list({ limit: 2 });
    const second = await repo.list({ limit: 2, cursor: first.cursor });

    expect(first.items.map((c) => c.login)).toEqual(['alice@r.example', 'bob@r.example']);
    expect(second.items.map((c) => c.login)).toEqual(['carol@r.example']);
    expect(second.cursor).toBeUndefined();
    expect(first.items[0]).toEqual(customer('alice@r.example'));
  });

  it('gets one customer or nothing', async () => {
    const repo = new DynamoCustomerRepository(db, peers.table);
    expect(await repo.get('bob@r.example')).toEqual(customer('bob@r.example'));
    expect(await repo.get('nobody@r.example')).toBeUndefined();
  });

  it('rejects a cursor it did not make', async () => {
    const repo = new DynamoCustomerRepository(db, peers.table);
    await expect(repo.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(repo.list({ cursor: Buffer.from('{"pk":1}').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('DynamoTicketRepository', () => {
  it('lists every ticket newest first', async () => {
    const { items, cursor } = await new DynamoTicketRepository(db, peers.table).list();
    expect(items.map((t) => t.title)).toEqual(['t6', 't5', 't4', 't3', 't2', 't1']);
    expect(cursor).toBeUndefined();
  });

  it('fills a filtered page up to the limit and resumes where it stopped', async () => {
    const repo = new DynamoTicketRepository(db, peers.table);

    const first = await repo.list({ state: 'closed', limit: 2 });
    const rest = await repo.list({ state: 'closed', limit: 2, cursor: first.cursor });

    expect(first.items.map((t) => t.title)).toEqual(['t5', 't3']);
    expect(rest.items.map((t) => t.title)).toEqual(['t1']);
  });

  it("lists one customer's tickets, optionally by state", async () => {
    const repo = new DynamoTicketRepository(db, peers.table);
    expect((await repo.listByCustomer('bob@r.example')).items.map((t) => t.title)).toEqual(['t6', 't5', 't4']);
    expect((await repo.listByCustomer('bob@r.example', { state: 'open' })).items.map((t) => t.title)).toEqual(['t6', 't4']);
    expect((await repo.listByCustomer('nobody@r.example')).items).toEqual([]);
  });

  it('reads a ticket with its articles in one request, without its tokens', async () => {
    const repo = new DynamoTicketRepository(db, peers.table);
    const requests = countRequests(db as never);

    const found = await repo.getWithArticles('20261101000001');

    expect(requests.total).toBe(1);
    expect(found?.ticket).toEqual(ticket(1, 'alice@r.example', 'closed'));
    expect(found?.articles.map((a) => a.text)).toEqual(['2026-11-01T00:00:00.000Z#b', '2026-11-01T01:00:00.000Z#a']);
    expect(JSON.stringify(found)).not.toContain('older');
    expect(await repo.getWithArticles('20261231999999')).toBeUndefined();
    expect(await repo.get('20261102000001')).toEqual(ticket(2, 'alice@r.example', 'open'));
  });

  it("lists a ticket's tokens oldest first", async () => {
    const tokens = await new DynamoTicketRepository(db, peers.table).listTokens('20261101000001');
    expect(tokens.map((t) => t.hash)).toEqual(['aaa-older', 'zzz-newer']);
    expect(tokens[0]).not.toHaveProperty('ttl');
  });
});
