/**
 * toItem / fromItem mappers. Writing adds the key and the index attributes (from indexes.ts);
 * reading checks the shape (zod) instead of casting, so a damaged or foreign item is a clear
 * CorruptItemError naming its key, not a crash three calls later. Unknown attributes (keys, index
 * attributes, ttl) are dropped on read. Every item's mapper is here, so that the shapes the table holds
 * read side by side against docs/data-model.md (about 290 lines).
 */
import * as z from 'zod/mini';
import '../../zod.js';
import { LANGUAGES } from '../../config.js';
import { CorruptItemError } from '../../errors.js';
import {
  ARTICLE_CHANNELS,
  ARTICLE_DIRECTIONS,
  CUSTOMER_SOURCES,
  DELIVERY_STATUSES,
  SESSION_SCOPES,
  TICKET_STATES,
  TOKEN_PURPOSES,
  ARTICLE_PREVIEW_CHARS,
  type ActiveCode,
  type ActiveToken,
  type Article,
  type ArticlePreview,
  type Customer,
  type Delivery,
  type OutboundEvent,
  type Session,
  type Ticket,
  type TokenRecord,
  type TrailEntry,
} from '../../domain/model.js';
import { readTrailEntry, TRAIL_EVENTS, type StoredTrailEntry } from '../../domain/trail.js';
import { indexAttributes } from './indexes.js';
import { epochSeconds, keys, type Key } from './keys.js';
import type { Item } from './table.js';

const DAY_S = 86_400;
const str = z.string();
const opt = <T extends z.core.SomeType>(schema: T) => z.optional(schema);
const purpose = z.enum(TOKEN_PURPOSES);
/** DynamoDB string sets arrive as Set; the domain keeps arrays. */
const stringSet = z.pipe(
  z.custom<Set<string>>((v) => v instanceof Set),
  z.transform((s: Set<string>) => [...s].sort()),
);

function reader<T>(entity: string, schema: z.ZodMiniType<T>) {
  return (item: Item | undefined): T | undefined => {
    if (!item) return undefined;
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new CorruptItemError(`${entity} item ${String(item.pk)} / ${String(item.sk)}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  };
}

/** Reads an item that must exist (it was just found by a query for its kind). */
function required<T>(read: (item: Item | undefined) => T | undefined) {
  return (item: Item): T => read(item) as T;
}

const customerShape: z.ZodMiniType<Customer> = z.object({
  login: str,
  customerId: str,
  email: str,
  language: z.enum(LANGUAGES),
  languageDeclared: opt(z.boolean()),
  disabled: z.boolean(),
  source: z.enum(CUSTOMER_SOURCES),
  failedLogins: z.number(),
  createdAt: str,
  name: opt(str),
});

const activeTokenShape: z.ZodMiniType<ActiveToken> = z.object({ hash: str, purpose, createdAt: str, expiresAt: str });
const activeCodeShape: z.ZodMiniType<ActiveCode> = z.object({ hash: str, tokenHash: str, createdAt: str, expiresAt: str });

const ticketShape: z.ZodMiniType<Ticket> = z.object({
  number: str,
  customerLogin: str,
  title: str,
  state: z.enum(TICKET_STATES),
  createdAt: str,
  updatedAt: str,
  closedAt: opt(str),
  mergedInto: opt(str),
  activeToken: opt(activeTokenShape),
  activeCode: opt(activeCodeShape),
  spentTokens: opt(stringSet),
  lastSpentHash: opt(str),
  lastSpentAt: opt(str),
  lastSpentNonce: opt(str),
  refreshedAt: opt(str),
  customerDisabled: opt(z.boolean()),
  pendingReopenEvent: opt(str),
  autoCreatedCustomer: z.boolean(),
  language: opt(z.enum(LANGUAGES)),
  languageDeclared: opt(z.boolean()),
  firstMessageId: opt(str),
  lastMessageId: opt(str),
});

const attachmentShape = z.object({ filename: str, contentType: str, size: z.number(), key: opt(str) });

const articleShape: z.ZodMiniType<ArticlePreview> = z.object({
  ticketNumber: str,
  articleId: str,
  direction: z.enum(ARTICLE_DIRECTIONS),
  channel: opt(z.enum(ARTICLE_CHANNELS)),
  fromAddress: str,
  fromName: str,
  subject: str,
  text: str,
  textTruncated: z.boolean(),
  attachments: z.array(attachmentShape),
  attachmentsOmitted: opt(z.number()),
  rawMailKey: opt(str),
  messageId: opt(str),
  createdAt: str,
  textCut: opt(z.boolean()),
});

const tokenShape: z.ZodMiniType<TokenRecord> = z.object({ hash: str, ticketNumber: str, customerLogin: str, purpose, createdAt: str, expiresAt: str, sentAt: str });

const deliveryShape: z.ZodMiniType<Delivery> = z.object({
  key: str,
  deliveryId: str,
  status: z.enum(DELIVERY_STATUSES),
  reason: opt(str),
  sender: opt(str),
  customerLogin: opt(str),
  ticketNumber: opt(str),
  newTicket: opt(z.boolean()),
  leaseUntil: opt(str),
  providerMessageId: opt(str),
  rawMailKey: str,
  inboundMessageId: opt(str),
  references: opt(z.array(str)),
  receivedAt: str,
  repliedAt: opt(str),
  copies: opt(stringSet),
});

const sessionShape: z.ZodMiniType<Session> = z.object({
  idHash: str,
  customerLogin: str,
  ticketNumber: str,
  scope: z.enum(SESSION_SCOPES),
  language: z.enum(LANGUAGES),
  createdAt: str,
  lastSeenAt: str,
  absoluteExpiresAt: str,
});

/** The stored shape is flat (`detail` any text, as every version wrote it); the domain reads it into its union. */
const trailShape: z.ZodMiniType<TrailEntry> = z.pipe(
  z.object({
    ticketNumber: str,
    at: str,
    event: z.enum(TRAIL_EVENTS),
    detail: opt(str),
    client: opt(str),
    clientKind: opt(str),
    count: opt(z.number()),
    lastAt: opt(str),
    lastClient: opt(str),
  }) satisfies z.ZodMiniType<StoredTrailEntry>,
  z.transform(readTrailEntry),
);

const outboxShape: z.ZodMiniType<OutboundEvent> = z.object({
  eventId: str,
  type: z.enum(['TicketCreated', 'CustomerReplied', 'TicketReopened']),
  at: str,
  detail: z.record(str, z.unknown()),
});

/** Drops attributes the domain leaves unset (the document client would refuse undefined in a set's place). */
function compact(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
}

export const customerItem = {
  to: (c: Customer): Item => ({ ...keys.customer(c.login), entity: 'customer', ...c, ...indexAttributes.customer(c) }),
  from: reader('customer', customerShape),
};

export const ticketItem = {
  to: (t: Ticket): Item => {
    const { spentTokens, ...rest } = t;
    return compact({ ...keys.ticket(t.number), entity: 'ticket', ...rest, ...(spentTokens?.length ? { spentTokens: new Set(spentTokens) } : {}), ...indexAttributes.ticket(t) });
  },
  from: reader('ticket', ticketShape),
};

/**
 * An article is one item, or two when its text is longer than a preview: the article item keeps
 * the first ARTICLE_PREVIEW_CHARS characters (`textCut`), a TEXT# item the whole text. A page of
 * articles then reads a bounded number of bytes per article, and stays within one Query page.
 */
export const articleItem = {
  to: (a: Article): Item[] => {
    const chars = [...a.text];
    if (chars.length <= ARTICLE_PREVIEW_CHARS) return [{ ...keys.article(a.ticketNumber, a.articleId), entity: 'article', ...a }];
    return [
      { ...keys.article(a.ticketNumber, a.articleId), entity: 'article', ...a, text: chars.slice(0, ARTICLE_PREVIEW_CHARS).join(''), textCut: true },
      { ...keys.articleText(a.ticketNumber, a.articleId), entity: 'article-text', ticketNumber: a.ticketNumber, articleId: a.articleId, text: a.text },
    ];
  },
  from: reader('article', articleShape),
};

export const articleTextItem = {
  from: reader('article text', z.object({ ticketNumber: str, articleId: str, text: str })),
};

/** An article as read, its whole text put back from its TEXT# item when it has one. */
export function wholeArticle({ textCut, ...preview }: ArticlePreview, whole: Item | undefined): Article {
  return textCut ? { ...preview, text: articleTextItem.from(whole)?.text ?? preview.text } : preview;
}

export const tokenItem = {
  // TTL removes the token even if nothing else does; reads re-check expiry because TTL is late.
  to: (t: TokenRecord, ttlAt: string = t.expiresAt): Item => ({ ...keys.token(t.ticketNumber, t.hash), entity: 'token', ...t, ttl: epochSeconds(ttlAt) }),
  from: reader('token', tokenShape),
};

export const deliveryItem = {
  to: (d: Delivery, ttlDays: number): Item => {
    const { copies, ...rest } = d;
    return compact({
      ...keys.delivery(d.key),
      entity: 'delivery',
      ...rest,
      ...(copies?.length ? { copies: new Set(copies) } : {}),
      ...indexAttributes.delivery(d),
      ttl: epochSeconds(d.receivedAt) + ttlDays * DAY_S,
    });
  },
  from: reader('delivery', deliveryShape),
};

export const sessionItem = {
  to: (s: Session): Item => ({ ...keys.session(s.idHash), entity: 'session', ...s, ...indexAttributes.session(s), ttl: epochSeconds(s.absoluteExpiresAt) }),
  from: reader('session', sessionShape),
};

export const trailItem = {
  to: ({ requestId: _id, ...e }: TrailEntry, id: string, retentionDays: number): Item => ({
    ...keys.audit(e.ticketNumber, e.at, id),
    entity: 'audit',
    ...e,
    ttl: epochSeconds(e.at) + retentionDays * DAY_S,
  }),
  from: reader('audit', trailShape),
};

export const outboxItem = {
  to: (e: OutboundEvent): Item => ({ ...keys.outbox(e.at, e.eventId), entity: 'outbox', ...e }),
  from: reader('outbox', outboxShape),
};

export const messageIdItem = {
  to: (messageId: string, ticketNumber: string, customerLogin: string): Item => ({
    ...keys.messageId(messageId),
    entity: 'message-id',
    messageId,
    ticketNumber,
    customerLogin,
  }),
  from: reader('message-id', z.object({ messageId: str, ticketNumber: str, customerLogin: str })),
};

/** Readers for items a query returned for their kind. */
export const read = {
  ticket: required(ticketItem.from),
  customer: required(customerItem.from),
  article: required(articleItem.from),
  token: required(tokenItem.from),
  delivery: required(deliveryItem.from),
  trail: required(trailItem.from),
  outbox: required(outboxItem.from),
};

export type { Key };
