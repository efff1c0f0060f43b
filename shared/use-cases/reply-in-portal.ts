/**
 * reply-in-portal: the customer answers on a ticket page (docs/links-and-portal.md, 'Routes').
 *
 *  1. The ticket must be one the session opens and still within its window.
 *  2. One conditional update: reopen the ticket when it was closed or pending (guarded by the
 *     state read, the customer, the window), noting on the ticket the TicketReopened it owes; then
 *     the article with its outbox events (CustomerReplied, and the TicketReopened owed) in one batch.
 *  3. The reply's files (already within ReplyAttachments: the form refused more) are stored, each
 *     under a key derived from the article, its name cleaned of paths and control characters.
 *  4. The article names the customer as their mail does (their name, else the address) and lists
 *     the files; CustomerReplied carries them (name, size, type, key in the raw-mail bucket).
 *  5. The events are published; what the bus took leaves the outbox; the ticket's note is cleared.
 *     A reply whose batch failed after the reopen leaves the note, so the next reply (the customer
 *     trying again) still sends that TicketReopened, under the same eventId.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { attachmentKey, cleanContentType } from '../domain/files.js';
import type { Article, AttachmentInfo, Customer, Session } from '../domain/model.js';
import { cleanFileName, textWithoutControls } from '../domain/mail-rules.js';
import { isAccessible, isClosed, planTransition, windowStart } from '../domain/ticket-lifecycle.js';
import { RetryableError } from '../errors.js';
import type { EventPublisher, Outbox } from '../ports/events.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TokenRepository } from '../ports/tokens.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { FileStore } from '../ports/files.js';
import { mayOpen } from './portal-session.js';
import { customerRepliedEvent, newEventId, publishEvents, ticketReopenedEvent } from './publish-events.js';

export interface ReplyDeps {
  config: Pick<Config, 'AccessDaysAfterClose' | 'TokenMaxAgeDays'>;
  clock: Clock;
  tickets: Pick<TicketRepository, 'get' | 'update' | 'addArticle'>;
  tokens: Pick<TokenRepository, 'setTtl'>;
  customers: Pick<CustomerRepository, 'get'>;
  publisher: EventPublisher;
  outbox: Pick<Outbox, 'remove'>;
  fileStore: FileStore;
  logger: Logger;
  metrics: Metrics;
}

/** A file as the reply form sent it: the name and type are the browser's word, not ours. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export type ReplyOutcome = 'added' | 'not-found' | 'closed';

const MAX_ATTEMPTS = 3;

/** Step 1–2a: the ticket as the reply finds it, reopened when closed or pending (guarded, re-read when another writer won). */
async function reopenForReply(deps: ReplyDeps, session: Session, number: string, now: Date): Promise<'not-found' | 'closed' | { reopenEventId?: string; title: string }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const ticket = await deps.tickets.get(number);
    if (!ticket || !mayOpen(session, ticket)) return 'not-found';
    if (!isAccessible(ticket, deps.config, now)) return 'closed';
    const plan = isClosed(ticket.state) || ticket.state === 'pending' ? planTransition(ticket, 'open', now, deps.config) : undefined;
    const reopenEventId = plan?.reopened ? newEventId() : undefined;
    const result = await deps.tickets.update(
      number,
      { ...(plan ? { change: plan.change } : {}), ...(reopenEventId ? { pendingReopenEvent: reopenEventId } : {}), updatedAt: now.toISOString() },
      { customerLogin: session.customerLogin, state: ticket.state, notGone: true, openOrClosedAfter: windowStart(deps.config, now), ...(plan?.change.activeTokenExpiresAt ? { activeTokenHash: ticket.activeToken?.hash ?? null } : {}) },
    );
    if (!result.updated) continue;
    // Reopening restores the active token's TTL as well as its pointer (change-ticket-state does the same).
    if (ticket.activeToken && plan?.change.activeTokenExpiresAt) await deps.tokens.setTtl(number, ticket.activeToken.hash, plan.change.activeTokenExpiresAt);
    return { reopenEventId: reopenEventId ?? ticket.pendingReopenEvent, title: ticket.title };
  }
  throw new RetryableError('Ticket kept changing under the reply');
}

export async function replyInPortal(deps: ReplyDeps, session: Session, number: string, text: string, files: UploadedFile[] = []): Promise<ReplyOutcome> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const ready = await reopenForReply(deps, session, number, now);
  if (ready === 'not-found' || ready === 'closed') return ready;
  const { reopenEventId, title } = ready;
  const articleId = `${nowIso}#${randomUUID().slice(0, 8)}`;
  const [customer, attachments] = await Promise.all([deps.customers.get(session.customerLogin), storeFiles(deps, number, articleId, files)]);
  const article: Article = {
    ticketNumber: number,
    articleId,
    direction: 'inbound',
    channel: 'portal',
    fromAddress: session.customerLogin,
    fromName: customer?.name ?? '',
    subject: '',
    // Whoever calls, the article and the helpdesk's event never carry NUL, escapes or bidi overrides.
    text: textWithoutControls(text).trim(),
    textTruncated: false,
    attachments,
    createdAt: nowIso,
  };
  const who: Customer = customer ?? { login: session.customerLogin, email: session.customerLogin, customerId: session.customerLogin, language: session.language, disabled: false, source: 'mail' as const, failedLogins: 0, createdAt: nowIso };
  const events = [customerRepliedEvent(newEventId(), { number, title }, who, article, nowIso), ...(reopenEventId ? [ticketReopenedEvent(reopenEventId, { number }, who, 'portal', nowIso)] : [])];
  await deps.tickets.addArticle(article, { events });
  // In the outbox now: the ticket owes it no more (the relay publishes what the bus refuses).
  if (reopenEventId) await deps.tickets.update(number, { pendingReopenEvent: null, updatedAt: nowIso }, {});
  const published = await publishEvents(deps, events);
  if (published.length) await deps.outbox.remove(published);
  const reopened = reopenEventId !== undefined;
  if (reopened) deps.metrics.count('TicketReopened');
  deps.metrics.count('PortalReply');
  deps.logger.info('Portal reply added', { ticketNumber: number, reopened });
  return 'added';
}

/** The reply's files, each stored under a key derived from the article (a retried reply would overwrite, not add). */
async function storeFiles(deps: Pick<ReplyDeps, 'fileStore'>, number: string, articleId: string, files: UploadedFile[]): Promise<AttachmentInfo[]> {
  const listed = files.map((f, i): AttachmentInfo => ({ filename: cleanFileName(f.filename), contentType: cleanContentType(f.contentType), size: f.bytes.byteLength, key: attachmentKey(number, articleId, i) }));
  await Promise.all(files.map((f, i) => deps.fileStore.put(listed[i]!.key!, f.bytes, { contentType: listed[i]!.contentType, size: f.bytes.byteLength })));
  return listed;
}
