/**
 * issue-link: a fresh one-time link for a ticket, mailed to the ticket's customer. Every path that
 * sends a link comes through here: the auto-reply, a refresh after a spent link, an agent reply,
 * `ota link send`, the self-service page.
 *
 *  1. mint: 256 random bits and a sign-in code (domain/codes.ts); only their hashes are ever stored,
 *     the code's keyed with the code key (ports/secrets.ts).
 *  2. activate: move the ticket's pointers (token and code, one write) by compare-and-set, under the guards that make the link
 *     worth sending (the ticket is still this customer's, not merged or removed, within its window,
 *     the customer enabled; refreshes also at most once per RefreshMinIntervalMinutes). When another
 *     writer moved the pointer meanwhile, re-read and try once more.
 *  3. render the configured template in the customer's language, with the link and the code.
 *  4. send to the customer's own address, never any other.
 *  5. record: the token item with sentAt and the trail entries ("minted", "mailed") in one batch,
 *     or the caller's own record step (the inbound path settles its delivery in the same batch).
 *
 * The inbound path mints inside its own ticket write (a new ticket is created with its pointer),
 * so it calls mintLink and deliverLink and skips step 2: one DynamoDB request less per mail.
 */
import type { Config } from '../config.js';
import type { ClientRef, Customer, Ticket, TokenPurpose, TokenRecord, TrailEntry } from '../domain/model.js';
import { isAccessible, tokenExpiry, windowStart } from '../domain/ticket-lifecycle.js';
import { renderTemplate, type TemplateValues } from '../domain/templates.js';
import { trailEntry } from '../domain/trail.js';
import { formatCode } from '../domain/codes.js';
import { codeUrlFor, linkFor, mintToken, sentTokenRecord, type MintedToken } from '../domain/tokens.js';
import { MailRejectedError } from '../errors.js';
import type { Mailer } from '../ports/mail.js';
import type { CodeKey } from '../ports/secrets.js';
import type { Clock, Logger, Metrics, Random } from '../ports/system.js';
import type { TicketGuard, TicketRepository } from '../ports/tickets.js';
import type { TokenRepository } from '../ports/tokens.js';

export interface LinkDeps {
  config: Config;
  clock: Clock;
  random: Random;
  codeKey: CodeKey;
  tickets: TicketRepository;
  tokens: TokenRepository;
  mailer: Mailer;
  logger: Logger;
  metrics: Metrics;
}

export type LinkTemplate = 'AutoReply' | 'TokenRefreshNotification' | 'AgentReplyNotification';

export interface LinkMail {
  template: LinkTemplate;
  /** Extra placeholders (agent replies: Text, AgentName). */
  values?: Pick<TemplateValues, 'Text' | 'AgentName'>;
  inReplyTo?: string;
  references?: string[];
}

/** Threading into the ticket's conversation: a reply to its last message, naming its first and last (the mailer names each once). */
export function ticketThread(ticket: Pick<Ticket, 'lastMessageId' | 'firstMessageId'>): Pick<LinkMail, 'inReplyTo' | 'references'> {
  return { inReplyTo: ticket.lastMessageId, references: [ticket.firstMessageId, ticket.lastMessageId].filter((id): id is string => Boolean(id)) };
}

/** A fresh link on its own (refresh, self-service, ops): TokenRefreshNotification, threaded into the ticket's conversation. */
export function refreshMail(ticket: Pick<Ticket, 'lastMessageId' | 'firstMessageId'>): LinkMail {
  return { template: 'TokenRefreshNotification', ...ticketThread(ticket) };
}

/** The caller's own record step, instead of tokens.recordSent (same batch as its own writes). */
export type RecordSent = (token: TokenRecord, providerMessageId: string, trail: TrailEntry[]) => Promise<void>;

export type IssueRefusal = 'missing' | 'not-accessible' | 'customer-disabled' | 'rate-limited' | 'conflict';

export type IssueOutcome =
  | { issued: true; token: TokenRecord; providerMessageId: string }
  | { issued: false; reason: IssueRefusal }
  | { issued: false; reason: 'mail-failed'; error: Error; retryable: boolean };

const MINUTE_MS = 60_000;

/** A link (and its code) minted while its ticket is closed (within the window) stops with the window, like the one it supersedes. */
export async function mintLink(
  deps: Pick<LinkDeps, 'random' | 'config' | 'codeKey'>,
  now: Date,
  owner: { ticketNumber: string; customerLogin: string; purpose: TokenPurpose },
  closedAt?: string,
): Promise<MintedToken> {
  const minted = mintToken(deps.random, deps.config, now, owner, await deps.codeKey.get());
  if (closedAt) minted.active.expiresAt = minted.code.active.expiresAt = tokenExpiry(minted.active, closedAt, deps.config);
  return minted;
}

/** The guards under which a link may be activated for this customer (ports/tickets.ts explains each). */
export function accessGuard(config: Pick<Config, 'AccessDaysAfterClose'>, now: Date, customerLogin: string): TicketGuard {
  return { customerLogin, notGone: true, openOrClosedAfter: windowStart(config, now), customerEnabled: true };
}

/** Mints, activates, renders, sends and records (steps 1–5). */
export async function issueLink(
  deps: LinkDeps,
  request: { ticket: Ticket; customer: Customer; purpose: TokenPurpose; mail: LinkMail; rateLimited?: boolean; client?: ClientRef; recordSent?: RecordSent },
): Promise<IssueOutcome> {
  const { config, clock } = deps;
  const now = clock.now();
  if (request.customer.disabled) return { issued: false, reason: 'customer-disabled' };
  if (!isAccessible(request.ticket, config, now)) return { issued: false, reason: 'not-accessible' };
  const minted = await mintLink(deps, now, { ticketNumber: request.ticket.number, customerLogin: request.customer.login, purpose: request.purpose }, request.ticket.closedAt);

  let seen: Ticket = request.ticket;
  for (let attempt = 1; ; attempt++) {
    const guard: TicketGuard = { ...accessGuard(config, now, request.customer.login), activeTokenHash: seen.activeToken?.hash ?? null };
    if (request.rateLimited) guard.refreshedNotAfter = new Date(now.getTime() - config.RefreshMinIntervalMinutes * MINUTE_MS).toISOString();
    const result = await deps.tickets.update(seen.number, { activeToken: minted.active, activeCode: minted.code.active, ...(request.rateLimited ? { refreshedAt: now.toISOString() } : {}), updatedAt: now.toISOString() }, guard);
    if (result.updated) break;
    const current = await deps.tickets.get(request.ticket.number);
    const refusal = whyNotActivated(current, guard, config, now, request.customer.login);
    if (refusal || !current) return { issued: false, reason: refusal ?? 'missing' };
    seen = current;
    // Only the pointer moved under us (another link was minted meanwhile): ours supersedes it.
    if (attempt >= 2) {
      deps.metrics.count('LinkActivationConflict');
      return { issued: false, reason: 'conflict' };
    }
  }
  return deliverLink(deps, { minted, ticket: request.ticket, customer: request.customer, mail: request.mail, client: request.client, recordSent: request.recordSent });
}

/** Why an activation failed, seen from the ticket as it is now; undefined when only the pointer moved. */
function whyNotActivated(ticket: Ticket | undefined, guard: TicketGuard, config: Config, now: Date, login: string): IssueRefusal | undefined {
  if (!ticket) return 'missing';
  if (ticket.customerLogin !== login || !isAccessible(ticket, config, now)) return 'not-accessible';
  if (ticket.customerDisabled) return 'customer-disabled';
  if (guard.refreshedNotAfter !== undefined && ticket.refreshedAt !== undefined && ticket.refreshedAt > guard.refreshedNotAfter) return 'rate-limited';
  return undefined;
}

/** Steps 3–5 for a token that is active already. */
export async function deliverLink(
  deps: LinkDeps,
  request: { minted: MintedToken; ticket: Pick<Ticket, 'number' | 'title'>; customer: Customer; mail: LinkMail; client?: ClientRef; recordSent?: RecordSent },
): Promise<IssueOutcome> {
  const { config, clock, metrics, logger } = deps;
  const { minted, ticket, customer, mail } = request;
  const rendered = renderTemplate(
    config[mail.template],
    {
      TicketNumber: ticket.number,
      Title: ticket.title,
      Link: linkFor(config.PortalUrl, ticket.number, minted.raw),
      Code: formatCode(minted.code.raw),
      CodeUrl: codeUrlFor(config.PortalUrl),
      CustomerEmail: customer.email,
      ...mail.values,
    },
    customer.language,
    config,
  );
  let providerMessageId: string;
  try {
    ({ messageId: providerMessageId } = await deps.mailer.send({
      from: { name: config.SupportName, address: config.SupportAddress },
      // Only ever the customer's own address, never Reply-To, Cc or anything a mail names
      // (docs/inbound-mail.md, 'Verdicts, loops and senders').
      to: customer.email,
      ...rendered,
      language: customer.language,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      // An agent's reply is written by a person; everything else is machine-made (RFC 3834).
      autoSubmitted: mail.template === 'AutoReply' ? 'auto-replied' : mail.template === 'AgentReplyNotification' ? undefined : 'auto-generated',
    }));
  } catch (e) {
    metrics.count('LinkMailFailed');
    logger.warn('Link mail not sent', { ticketNumber: ticket.number, purpose: minted.active.purpose, error: String(e) });
    // The token was never mailed, so it has no item: it cannot block the next refresh.
    return { issued: false, reason: 'mail-failed', error: e as Error, retryable: !(e instanceof MailRejectedError) };
  }
  const sentAt = clock.now().toISOString();
  const token = sentTokenRecord(minted, sentAt, config);
  const purpose = minted.active.purpose;
  const trail: TrailEntry[] = [
    trailEntry(ticket.number, minted.active.createdAt, { event: 'link-minted', detail: purpose }, request.client),
    trailEntry(ticket.number, sentAt, { event: purpose === 'refresh' ? 'refresh-mailed' : 'link-mailed' }),
  ];
  if (request.recordSent) await request.recordSent(token, providerMessageId, trail);
  else await deps.tokens.recordSent(token, { trail }, minted.active.expiresAt);
  metrics.count('LinkMailed');
  return { issued: true, token, providerMessageId };
}
