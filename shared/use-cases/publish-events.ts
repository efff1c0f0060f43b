/**
 * Events for the helpdesk (docs/events.md, 'Events out'): TicketCreated, CustomerReplied,
 * TicketReopened. Each is first written to the outbox in the same batch as the data it describes;
 * then published; then removed from the outbox (in the caller's next batch). What the bus did not
 * take stays in the outbox, and the relay (relay-outbox.ts, on a schedule) publishes it later: an
 * event is never lost once its data is written, and may arrive twice (its eventId lets a subscriber
 * drop the copy).
 */
import { randomUUID } from 'node:crypto';
import type { Article, ArticleChannel, Customer, OutboundEvent, Ticket } from '../domain/model.js';
import type { EventPublisher } from '../ports/events.js';
import type { Logger, Metrics } from '../ports/system.js';

/** EventBridge takes 256 KB per entry; the article text in an event is capped well below that. */
const EVENT_TEXT_MAX_CHARS = 60_000;

export function newEventId(): string {
  return randomUUID();
}

function articleDetail(article: Pick<Article, 'subject' | 'text' | 'attachments' | 'fromAddress' | 'createdAt'> & { channel?: Article['channel'] }) {
  const text = article.text.length > EVENT_TEXT_MAX_CHARS ? article.text.slice(0, EVENT_TEXT_MAX_CHARS) : article.text;
  return {
    channel: article.channel ?? 'mail',
    from: article.fromAddress,
    subject: article.subject,
    text,
    textTruncated: text.length < article.text.length,
    attachments: article.attachments.map((a) => a.filename),
    // The bytes: an object in the raw-mail bucket, read with the grant the stack gives the helpdesk (docs/events.md).
    files: article.attachments.map((a) => ({ name: a.filename, size: a.size, type: a.contentType, ...(a.key ? { key: a.key } : {}) })),
    createdAt: article.createdAt,
  };
}

export function ticketCreatedEvent(eventId: string, ticket: Ticket, customer: Customer, article: Parameters<typeof articleDetail>[0], at: string): OutboundEvent {
  return {
    eventId,
    type: 'TicketCreated',
    at,
    detail: { ticketNumber: ticket.number, title: ticket.title, state: ticket.state, customer: { login: customer.login, email: customer.email, language: customer.language }, article: articleDetail(article) },
  };
}

export function customerRepliedEvent(eventId: string, ticket: Pick<Ticket, 'number' | 'title'>, customer: Customer, article: Parameters<typeof articleDetail>[0], at: string): OutboundEvent {
  return {
    eventId,
    type: 'CustomerReplied',
    at,
    detail: { ticketNumber: ticket.number, title: ticket.title, customer: { login: customer.login, email: customer.email }, article: articleDetail(article) },
  };
}

export function ticketReopenedEvent(eventId: string, ticket: Pick<Ticket, 'number'>, customer: Pick<Customer, 'login'>, by: ArticleChannel, at: string): OutboundEvent {
  return { eventId, type: 'TicketReopened', at, detail: { ticketNumber: ticket.number, customerLogin: customer.login, reopenedBy: by } };
}

/**
 * Publishes events already written to the outbox. Never throws for the bus: what it did not take
 * stays in the outbox for the relay. Resolves with the events to remove from the outbox.
 */
export async function publishEvents(deps: { publisher: EventPublisher; logger: Logger; metrics: Metrics }, events: OutboundEvent[]): Promise<OutboundEvent[]> {
  if (events.length === 0) return [];
  const result = await deps.publisher.publish(events);
  if (result.published.length) deps.metrics.count('EventsPublished', result.published.length);
  if (result.failed.length) {
    deps.metrics.count('EventPublishFailed', result.failed.length);
    deps.logger.warn('Events left in the outbox for the relay', { count: result.failed.length, types: result.failed.map((e) => e.type), error: result.error });
  }
  return result.published;
}
