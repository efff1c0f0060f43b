/**
 * InboundStore on DynamoDB. A new mail that opens a new ticket costs five requests:
 * BatchGet (load) → UpdateItem (ticket counter) → PutItem (claim) → BatchWrite (records) →
 * BatchWrite (replied). Each condition below says why it exists.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer, Delivery, Ticket, TokenRecord } from '../../domain/model.js';
import { formatTicketNumber, utcDay } from '../../domain/mail-rules.js';
import type { ClaimResult, FollowUpUpdate, InboundLookup, InboundRecords, InboundSnapshot, InboundStore, ThreadRef, UpdateResult } from '../../ports.js';
import { batchGet, batchPut, keyOf } from './batch.js';
import { autoRepliesItem, articleItem, customerItem, deliveryItem, messageIdItem, ticketItem, tokenItem } from './items.js';
import { epochSeconds, keys, sesMessageId, type Key } from './keys.js';
import { DynamoCustomerRepository } from './customer-repository.js';
import { DynamoTicketRepository } from './ticket-repository.js';

const conditionFailed = (e: unknown) => e instanceof ConditionalCheckFailedException || (e as Error)?.name === 'ConditionalCheckFailedException';

export class DynamoInboundStore implements InboundStore {
  private readonly tickets: DynamoTicketRepository;
  private readonly customers: DynamoCustomerRepository;

  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {
    this.tickets = new DynamoTicketRepository(db, table);
    this.customers = new DynamoCustomerRepository(db, table);
  }

  async load(q: InboundLookup): Promise<InboundSnapshot> {
    const refIds = q.inboundMessageId ? [...q.referencedMessageIds, q.inboundMessageId] : q.referencedMessageIds;
    const found = await batchGet(this.db, this.table, [
      keys.delivery(q.deliveryId),
      keys.customer(q.customerLogin),
      keys.autoReplies(q.sender, q.autoReplyDay),
      ...(q.subjectTicketNumber ? [keys.ticket(q.subjectTicketNumber)] : []),
      ...refIds.flatMap(messageIdKeys),
    ]);
    const get = (k: { pk: string; sk: string }) => found.get(keyOf(k));
    const toRef = (item: Record<string, unknown>): ThreadRef => ({ messageId: String(item.messageId), ticketNumber: String(item.ticketNumber), customerLogin: String(item.customerLogin) });
    const threadRefs = q.referencedMessageIds
      .flatMap((id) => messageIdKeys(id).map(get))
      .filter((item): item is Record<string, unknown> => item !== undefined)
      .map(toRef);
    const known = q.inboundMessageId ? get(keys.messageId(q.inboundMessageId)) : undefined;
    return {
      delivery: deliveryItem.from(get(keys.delivery(q.deliveryId))),
      customer: customerItem.from(get(keys.customer(q.customerLogin))),
      subjectTicket: q.subjectTicketNumber ? ticketItem.from(get(keys.ticket(q.subjectTicketNumber))) : undefined,
      threadRefs,
      knownMessage: known ? toRef(known) : undefined,
      autoRepliesToday: Number(get(keys.autoReplies(q.sender, q.autoReplyDay))?.count ?? 0),
    };
  }

  async nextTicketNumber(now: Date): Promise<string> {
    const day = utcDay(now);
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.ticketCounter(day.replaceAll('-', '')),
        // ADD is atomic: concurrent mails never share a number. The counter is useless after its day.
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': epochSeconds(now) + 3 * 86_400 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return formatTicketNumber(now, Number(out.Attributes?.n));
  }

  getTicket(number: string): Promise<Ticket | undefined> {
    return this.tickets.get(number);
  }

  getCustomer(login: string): Promise<Customer | undefined> {
    return this.customers.get(login);
  }

  async recordDelivery(delivery: Delivery, ttlDays: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: deliveryItem.to(delivery, ttlDays),
          // A redelivery of a rejected mail must not count twice.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (conditionFailed(e)) return false;
      throw e;
    }
  }

  async claimDelivery(delivery: Delivery, ttlDays: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: deliveryItem.to(delivery, ttlDays),
          // The commit point: of concurrent deliveries of one mail exactly one claims it. A stale
          // claim is taken over only by naming the status and lease seen, so two takers cannot both win.
          ...(expected
            ? {
                ConditionExpression: `#status = :status AND ${expected.leaseUntil ? 'leaseUntil = :lease' : 'attribute_not_exists(leaseUntil)'}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':status': expected.status, ...(expected.leaseUntil ? { ':lease': expected.leaseUntil } : {}) },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return { claimed: true };
    } catch (e) {
      if (!conditionFailed(e)) throw e;
    }
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.delivery(delivery.deliveryId), ConsistentRead: true }));
    const existing = deliveryItem.from(out.Item);
    // Vanished between the failed condition and the read (TTL): report it in flight; a retry settles it.
    return { claimed: false, existing: existing ?? { ...delivery, status: 'processing' } };
  }

  async releaseDelivery(deliveryId: string, leaseUntil: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.delivery(deliveryId),
          UpdateExpression: 'REMOVE leaseUntil',
          // Only our own lease: a taker that already replaced it keeps its claim.
          ConditionExpression: 'leaseUntil = :lease',
          ExpressionAttributeValues: { ':lease': leaseUntil },
        }),
      );
    } catch (e) {
      if (!conditionFailed(e)) throw e;
    }
  }

  async writeRecords(r: InboundRecords, ttlDays: number): Promise<void> {
    const ticketNumber = r.article.ticketNumber;
    const customerLogin = r.newTicket?.customerLogin ?? r.delivery.customerLogin ?? '';
    await batchPut(this.db, this.table, [
      ...(r.newCustomer ? [customerItem.to(r.newCustomer)] : []),
      ...(r.newTicket ? [ticketItem.to(r.newTicket)] : []),
      articleItem.to(r.article),
      ...(r.token ? [tokenItem.to(r.token)] : []),
      ...(r.indexMessageId ? [messageIdItem.to(r.indexMessageId, ticketNumber, customerLogin)] : []),
      ...(r.autoReplyCount ? [autoRepliesItem.to(r.autoReplyCount.sender, r.autoReplyCount.day, r.autoReplyCount.count)] : []),
      deliveryItem.to(r.delivery, ttlDays),
    ]);
  }

  async updateFollowUpTicket(u: FollowUpUpdate): Promise<UpdateResult> {
    const set = ['updatedAt = :now'];
    const remove: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': u.updatedAt, ':login': u.customerLogin };
    // The ticket must still be this customer's: a follow-up never lands on someone else's ticket.
    let condition = 'attribute_exists(pk) AND customerLogin = :login';
    if (u.reopen) {
      set.push('#state = :open');
      remove.push('closedAt', 'gsi2pk', 'gsi2sk');
      names['#state'] = 'state';
      values[':open'] = 'open';
    }
    if (u.token) {
      set.push('activeTokenHash = :hash', 'activeTokenExpiresAt = :exp');
      values[':hash'] = u.token.hash;
      values[':exp'] = u.token.expiresAt;
      condition += activeTokenCondition(u.previousTokenHash, values);
    }
    return this.update(keys.ticket(u.ticketNumber), `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`, condition, names, values);
  }

  async activateToken(token: TokenRecord, previousTokenHash: string | undefined): Promise<UpdateResult> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: tokenItem.to(token) }));
    const values: Record<string, unknown> = { ':hash': token.hash, ':exp': token.expiresAt, ':now': token.createdAt };
    const condition = `attribute_exists(pk)${activeTokenCondition(previousTokenHash, values)}`;
    return this.update(keys.ticket(token.ticketNumber), 'SET activeTokenHash = :hash, activeTokenExpiresAt = :exp, updatedAt = :now', condition, {}, values);
  }

  async markReplied(delivery: Delivery, providerMessageId: string, sentToken: TokenRecord, ttlDays: number): Promise<void> {
    await batchPut(this.db, this.table, [
      deliveryItem.to({ ...delivery, providerMessageId }, ttlDays),
      tokenItem.to(sentToken),
      messageIdItem.to(sesMessageId(providerMessageId), delivery.ticketNumber ?? '', delivery.customerLogin ?? ''),
    ]);
  }

  private async update(key: { pk: string; sk: string }, expression: string, condition: string, names: Record<string, string>, values: Record<string, unknown>): Promise<UpdateResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: values,
        }),
      );
      return 'updated';
    } catch (e) {
      if (conditionFailed(e)) return 'conflict';
      throw e;
    }
  }
}

/** Index keys a referenced Message-ID may be found under. */
function messageIdKeys(id: string): Key[] {
  // SES rewrites the Message-ID of what we send to <sesId@…amazonses.com>; we index those by sesId.
  const ses = /^([^@]+)@[\w.-]*amazonses\.com$/.exec(id);
  return ses?.[1] ? [keys.messageId(id), keys.messageId(sesMessageId(ses[1]))] : [keys.messageId(id)];
}

/**
 * At most one active token per ticket (§3.2): replacing it requires that it is still the one we
 * read, so two concurrent minters cannot both believe theirs is active.
 */
function activeTokenCondition(previous: string | undefined, values: Record<string, unknown>): string {
  if (!previous) return ' AND attribute_not_exists(activeTokenHash)';
  values[':prev'] = previous;
  return ' AND activeTokenHash = :prev';
}
