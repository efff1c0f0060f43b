/**
 * The only module that writes index attributes (gsi*). Mappers and the ticket update builder ask
 * it, so an index can never be half-maintained by a caller that forgot it. docs/data-model.md says
 * what each index answers and what load it carries.
 */
import { createHash } from 'node:crypto';
import type { Customer, Delivery, Session, Ticket } from '../../domain/model.js';
import { INDEXES } from './table-definition.js';

/**
 * The sweep's index is written on every close and read by date; its partition is spread over a
 * few shards so a burst of closes (a helpdesk closing thousands of tickets at once) does not all
 * land on one GSI partition. The sweep queries every shard.
 */
export const CLOSED_SHARDS = 4;

export const INDEX_VALUES = {
  customerTickets: (login: string) => `CUSTOMER#${login}`,
  ticketsType: 'TICKET',
  customersType: 'CUSTOMER',
  deliveriesType: 'DELIVERY',
  closedShard: (shard: number) => `CLOSED#${shard}`,
  /** byCustomer sort-key prefixes: a customer's tickets and sessions share the partition. */
  ticketPrefix: 'TICKET#',
  sessionPrefix: 'SESSION#',
} as const;

type Attributes = Record<string, string>;

function shardOf(number: string): number {
  return createHash('sha256').update(number).digest()[0]! % CLOSED_SHARDS;
}

/** closedTickets (sparse): present only while a closed ticket may still hold tokens. */
export function closedTicketAttributes(number: string, closedAt: string): Attributes {
  const { partitionKey, sortKey } = INDEXES.closedTickets;
  return { [partitionKey]: INDEX_VALUES.closedShard(shardOf(number)), [sortKey]: `${closedAt}#${number}` };
}

export const CLOSED_TICKET_ATTRIBUTES = [INDEXES.closedTickets.partitionKey, INDEXES.closedTickets.sortKey] as const;

export const indexAttributes = {
  customer: (c: Customer): Attributes => ({ [INDEXES.byType.partitionKey]: INDEX_VALUES.customersType, [INDEXES.byType.sortKey]: c.login }),
  ticket: (t: Ticket): Attributes => ({
    [INDEXES.byCustomer.partitionKey]: INDEX_VALUES.customerTickets(t.customerLogin),
    [INDEXES.byCustomer.sortKey]: `${INDEX_VALUES.ticketPrefix}${t.createdAt}#${t.number}`,
    [INDEXES.byType.partitionKey]: INDEX_VALUES.ticketsType,
    [INDEXES.byType.sortKey]: `${t.createdAt}#${t.number}`,
    ...(t.closedAt ? closedTicketAttributes(t.number, t.closedAt) : {}),
  }),
  /** Sessions sit in their customer's byCustomer partition, so disabling a customer finds them all. */
  session: (s: Session): Attributes => ({
    [INDEXES.byCustomer.partitionKey]: INDEX_VALUES.customerTickets(s.customerLogin),
    [INDEXES.byCustomer.sortKey]: `${INDEX_VALUES.sessionPrefix}${s.createdAt}#${s.idHash.slice(0, 16)}`,
  }),
  delivery: (d: Delivery): Attributes => ({ [INDEXES.byType.partitionKey]: INDEX_VALUES.deliveriesType, [INDEXES.byType.sortKey]: `${d.receivedAt}#${d.key}` }),
};

/** The Query of one kind of item in the byType index (ops listings); newest first for time-keyed kinds. */
export function byTypeQuery(type: string, newestFirst: boolean) {
  const { byType } = INDEXES;
  return {
    IndexName: byType.name,
    KeyConditionExpression: '#pk = :type',
    ExpressionAttributeNames: { '#pk': byType.partitionKey },
    ExpressionAttributeValues: { ':type': type },
    ScanIndexForward: !newestFirst,
  };
}
