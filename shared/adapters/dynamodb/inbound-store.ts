/**
 * The inbound path's own batched reads and writes (ports/deliveries.ts InboundStore). A new mail
 * that opens a new ticket and is answered costs six requests in all: BatchGet (load) → UpdateItem
 * (ticket counter) → PutItem (claim) → UpdateItem (auto-reply cap) → BatchWrite (records) →
 * BatchWrite (settle as replied). Every key written is derived from the delivery, so a retry rewrites the same items.
 */
import type { Delivery, TokenRecord } from '../../domain/model.js';
import type { InboundLookup, InboundRecords, InboundSnapshot, InboundStore, ThreadRef } from '../../ports/deliveries.js';
import type { AlsoWrite } from '../../ports/writes.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { articleItem, customerItem, deliveryItem, messageIdItem, ticketItem, tokenItem } from './items.js';
import { keys, sesMessageId, type Key } from './keys.js';
import { keyOf, type DynamoTable } from './table.js';

export class DynamoInboundStore implements InboundStore {
  constructor(
    private readonly table: DynamoTable,
    private readonly trail: TrailSettings,
  ) {}

  async load(q: InboundLookup): Promise<InboundSnapshot> {
    const refIds = q.inboundMessageId ? [...q.referencedMessageIds, q.inboundMessageId] : q.referencedMessageIds;
    const found = await this.table.batchGet([
      keys.delivery(q.deliveryKey),
      keys.customer(q.customerLogin),
      ...(q.subjectTicketNumber ? [keys.ticket(q.subjectTicketNumber)] : []),
      ...refIds.flatMap(messageIdKeys),
    ]);
    const get = (k: Key) => found.get(keyOf(k));
    const threadRefs = q.referencedMessageIds.flatMap((id) => messageIdKeys(id).map(get)).flatMap((item): ThreadRef[] => (item ? [messageIdItem.from(item) as ThreadRef] : []));
    return {
      delivery: deliveryItem.from(get(keys.delivery(q.deliveryKey))),
      customer: customerItem.from(get(keys.customer(q.customerLogin))),
      subjectTicket: q.subjectTicketNumber ? ticketItem.from(get(keys.ticket(q.subjectTicketNumber))) : undefined,
      threadRefs,
      knownMessage: q.inboundMessageId ? messageIdItem.from(get(keys.messageId(q.inboundMessageId))) : undefined,
    };
  }

  async writeRecords(r: InboundRecords, ttlDays: number, also: AlsoWrite = {}): Promise<void> {
    const ticketNumber = r.article.ticketNumber;
    const customerLogin = r.newTicket?.customerLogin ?? r.delivery.customerLogin ?? '';
    await this.table.batchWrite([
      ...(r.newCustomer ? [{ put: customerItem.to(r.newCustomer) }] : []),
      ...(r.newTicket ? [{ put: ticketItem.to(r.newTicket) }] : []),
      ...articleItem.to(r.article).map((put) => ({ put })),
      ...(r.indexMessageId ? [{ put: messageIdItem.to(r.indexMessageId, ticketNumber, customerLogin) }] : []),
      { put: deliveryItem.to(r.delivery, ttlDays) },
      ...alsoWrites(also, this.trail),
    ]);
  }

  async settle(delivery: Delivery, sentToken: TokenRecord | undefined, ttlDays: number, also: AlsoWrite = {}): Promise<void> {
    await this.table.batchWrite([
      { put: deliveryItem.to(delivery, ttlDays) },
      ...(sentToken ? [{ put: tokenItem.to(sentToken) }] : []),
      ...(sentToken && delivery.providerMessageId ? [{ put: messageIdItem.to(sesMessageId(delivery.providerMessageId), sentToken.ticketNumber, sentToken.customerLogin) }] : []),
      ...alsoWrites(also, this.trail),
    ]);
  }
}

/** Index keys a referenced Message-ID may be found under. */
function messageIdKeys(id: string): Key[] {
  // SES rewrites the Message-ID of what we send to <sesId@…amazonses.com>; we index those by sesId.
  const ses = /^([^@]+)@[\w.-]*amazonses\.com$/.exec(id);
  return ses?.[1] ? [keys.messageId(id), keys.messageId(sesMessageId(ses[1]))] : [keys.messageId(id)];
}
