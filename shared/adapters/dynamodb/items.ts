/**
 * toItem / fromItem mappers. Index attributes (gsi*) are derived here, so every writer keeps
 * the indexes consistent without knowing them.
 */
import type { Article, Customer, Delivery, Ticket, TokenRecord } from '../../domain/model.js';
import { INDEX_VALUES, epochSeconds, keys } from './keys.js';

type Item = Record<string, unknown>;

function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ttl: _ttl, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, gsi3pk: _e, gsi3sk: _f, entity: _g, ...rest } = item;
  return rest as T;
}

export const customerItem = {
  to: (c: Customer): Item => ({ ...keys.customer(c.login), entity: 'customer', ...c, gsi3pk: INDEX_VALUES.customersType, gsi3sk: c.login }),
  from: (item: Item | undefined) => strip<Customer>(item),
};

export const ticketItem = {
  to: (t: Ticket): Item => ({
    ...keys.ticket(t.number),
    entity: 'ticket',
    ...t,
    gsi1pk: INDEX_VALUES.customerTickets(t.customerLogin),
    gsi1sk: `${t.createdAt}#${t.number}`,
    gsi3pk: INDEX_VALUES.ticketsType,
    gsi3sk: `${t.createdAt}#${t.number}`,
  }),
  from: (item: Item | undefined) => strip<Ticket>(item),
};

export const articleItem = {
  to: (a: Article): Item => ({ ...keys.article(a.ticketNumber, a.articleId), entity: 'article', ...a }),
  from: (item: Item | undefined) => strip<Article>(item),
};

export const tokenItem = {
  // TTL removes the token even if nothing else does; reads re-check expiresAt because TTL is late.
  to: (t: TokenRecord): Item => ({ ...keys.token(t.ticketNumber, t.hash), entity: 'token', ...t, ttl: epochSeconds(t.expiresAt) }),
  from: (item: Item | undefined) => strip<TokenRecord>(item),
};

const DAY_S = 86_400;

export const deliveryItem = {
  to: (d: Delivery, ttlDays: number): Item => ({
    ...keys.delivery(d.deliveryId),
    entity: 'delivery',
    ...d,
    ttl: epochSeconds(d.receivedAt) + ttlDays * DAY_S,
  }),
  from: (item: Item | undefined) => strip<Delivery>(item),
};

export const messageIdItem = {
  to: (messageId: string, ticketNumber: string, customerLogin: string): Item => ({
    ...keys.messageId(messageId),
    entity: 'message-id',
    messageId,
    ticketNumber,
    customerLogin,
  }),
};

export const autoRepliesItem = {
  to: (sender: string, day: string, count: number): Item => ({
    ...keys.autoReplies(sender, day),
    entity: 'auto-replies',
    count,
    ttl: epochSeconds(`${day}T00:00:00Z`) + 2 * DAY_S,
  }),
};
