/**
 * receive-mail: one SES delivery → at most one customer, one article and one auto-reply.
 *
 *  1. Verdicts: virus → dropped; spam / DMARC (/ SPF / DKIM) per config → rejected. Recorded.
 *  2. Raw MIME from S3, parsed. Sender = the single From mailbox, lower-cased and validated.
 *  3. Automated senders (mailer-daemon, no-reply…) and our own addresses → recorded, nothing created;
 *     so is a Message-ID this sender's mail already arrived with under another SES id.
 *  4. One batched read: the delivery, the customer, today's reply count, the ticket named in the
 *     subject, the Message-IDs the mail refers to.
 *  5. A delivery seen before is settled: a duplicate, one still in flight elsewhere, a claim
 *     whose invocation died (taken over), or a reply that never went out (redone).
 *  6. Follow-up of one of the sender's own tickets, or a new ticket number.
 *  7. The delivery is claimed with a lease (the commit point: of concurrent duplicates one wins).
 *  8. Customer found or created; a token if we will answer (not to loops, disabled customers,
 *     or beyond the daily cap); ticket, article and token written with idempotent keys.
 *  9. The auto-reply goes to the customer's own address only; then the delivery is marked
 *     replied. A failed send is rethrown so Lambda retries, and the retry resumes at 5.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { pickLanguage } from '../config.js';
import type { Customer, Delivery, Ticket } from '../domain/model.js';
import { CLOSED_STATES } from '../domain/model.js';
import { isAutomatedSender, loopReason, normalizeAddress, ticketNumberFromSubject, titleFromSubject, utcDay } from '../domain/mail-rules.js';
import { linkFor, mintToken, type MintedToken } from '../domain/tokens.js';
import { renderTemplate } from '../domain/templates.js';
import { judgeVerdicts, type ReceiptVerdicts } from '../domain/verdicts.js';
import { MalformedMailError, parseMail, type ParsedMail } from '../adapters/mime/parse-mail.js';
import { RetryableError } from '../errors.js';
import type { Clock, InboundSnapshot, InboundStore, Logger, Mailer, Metrics, Random, RawMailStore } from '../ports.js';

export interface ReceiveMailDeps {
  config: Config;
  clock: Clock;
  random: Random;
  rawMail: RawMailStore;
  store: InboundStore;
  mailer: Mailer;
  logger: Logger;
  metrics: Metrics;
}

export interface IncomingDelivery {
  /** SES messageId: identical on every redelivery of the same mail. */
  deliveryId: string;
  /** SES receipt time: stable across redeliveries, so derived keys are too. */
  receivedAt: string;
  rawMailKey: string;
  verdicts: ReceiptVerdicts;
}

export type ReceiveOutcome = 'dropped' | 'rejected' | 'ignored' | 'duplicate' | 'recorded' | 'replied';

const MAX_UPDATE_ATTEMPTS = 3;
const MAX_REFERENCES = 20;
/**
 * How long a claim protects an invocation. Longer than the function timeout (30 s), so a live
 * invocation never loses its claim; shorter than Lambda's first async retry (about 1 min), so
 * the retry of a crashed invocation can take over. Failures release the lease at once.
 */
export const LEASE_MS = 45_000;
const SPOOFABLE_HEADERS = ['x-otobo-customeruser', 'x-otobo-customerno', 'x-otrs-customeruser', 'x-otrs-customerno'];

export async function receiveMail(deps: ReceiveMailDeps, incoming: IncomingDelivery): Promise<ReceiveOutcome> {
  const { config, clock, logger, metrics, store } = deps;
  const base: Delivery = { deliveryId: incoming.deliveryId, status: 'ignored', rawMailKey: incoming.rawMailKey, receivedAt: incoming.receivedAt };

  const record = async (status: 'dropped' | 'rejected' | 'ignored', reason: string, sender?: string) => {
    if (!(await store.recordDelivery({ ...base, status, reason, sender }, config.InboundDedupDays))) return duplicate(deps, status);
    logger.info('Mail not processed', { status, reason });
    metrics.count(status === 'dropped' ? 'MailDropped' : status === 'rejected' ? 'MailRejected' : 'MailIgnored');
    return status;
  };

  const verdict = judgeVerdicts(incoming.verdicts, config.Verdicts);
  if (verdict.action !== 'accept') return record(verdict.action === 'drop' ? 'dropped' : 'rejected', verdict.reason);

  let mail: ParsedMail;
  try {
    mail = await parseMail(await deps.rawMail.get(incoming.rawMailKey));
  } catch (e) {
    if (e instanceof MalformedMailError) return record('ignored', 'malformed-mime');
    throw e;
  }

  const sender = mail.fromAmbiguous ? undefined : normalizeAddress(mail.fromAddress);
  if (!sender) return record('ignored', mail.fromAmbiguous ? 'from-missing-or-ambiguous' : 'from-invalid');
  if (isAutomatedSender(sender, [config.SupportAddress, ...config.OwnAddresses])) return record('ignored', 'automated-sender', sender);
  const customerLogin = customerLoginFor(deps, mail, sender);

  const now = clock.now();
  const snapshot = await store.load({
    deliveryId: incoming.deliveryId,
    customerLogin,
    subjectTicketNumber: ticketNumberFromSubject(mail.subject),
    referencedMessageIds: [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_REFERENCES),
    inboundMessageId: mail.messageId,
    autoReplyDay: utcDay(now),
    sender,
  });
  const earlier = snapshot.delivery;
  const nowIso = now.toISOString();
  const leaseLive = (d: Delivery) => d.leaseUntil !== undefined && d.leaseUntil > nowIso;
  const takeover = earlier?.status === 'processing' && !leaseLive(earlier);
  if (earlier && !takeover) return settleExisting(deps, earlier);
  // The same message (same Message-ID, same sender) under a new SES id, e.g. sent to two of our addresses.
  if (!earlier && snapshot.knownMessage?.customerLogin === customerLogin) return record('ignored', 'duplicate-message-id', sender);

  // A taken-over delivery keeps the ticket number it claimed, so a retry never opens a second ticket.
  let followUp: Ticket | undefined;
  if (earlier?.ticketNumber) followUp = earlier.newTicket ? undefined : await store.getTicket(earlier.ticketNumber);
  else followUp = await findFollowUpTicket(store, snapshot, customerLogin);
  const ticketNumber = earlier?.ticketNumber ?? followUp?.number ?? (await store.nextTicketNumber(now));

  const claimed: Delivery = {
    ...base,
    status: 'processing',
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    sender,
    customerLogin,
    ticketNumber,
    newTicket: !followUp,
    inboundMessageId: mail.messageId,
    references: mail.references.slice(-MAX_REFERENCES),
  };
  const claim = await store.claimDelivery(claimed, config.InboundDedupDays, takeover ? earlier : undefined);
  if (!claim.claimed) return settleExisting(deps, claim.existing);
  if (takeover) metrics.count('DeliveryTakenOver');
  return releasingOnFailure(deps, claimed, () => recordMail(deps, { incoming, mail, snapshot, claimed, followUp }));
}

/** Runs the work of a claim; on failure gives the lease back so Lambda's retry continues at once. */
async function releasingOnFailure<T>(deps: ReceiveMailDeps, claimed: Delivery, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (claimed.leaseUntil) {
      await deps.store.releaseDelivery(claimed.deliveryId, claimed.leaseUntil).catch((release: unknown) => {
        deps.logger.warn('Could not release the delivery lease; it expires by itself', { error: String(release) });
      });
    }
    throw e;
  }
}

function customerLoginFor(deps: ReceiveMailDeps, mail: ParsedMail, sender: string): string {
  const spoofed = SPOOFABLE_HEADERS.filter((h) => mail.header(h) !== undefined);
  if (spoofed.length === 0) return sender;
  if (deps.config.CustomerHeaderSpoofProtection) {
    // The add-on overwrites these headers with the real customer; we never read them at all.
    deps.logger.warn('Customer headers from outside ignored', { headers: spoofed });
    deps.metrics.count('SpoofedHeaderIgnored');
    return sender;
  }
  return normalizeAddress(mail.header('x-otobo-customeruser') ?? mail.header('x-otrs-customeruser')) ?? sender;
}

async function recordMail(
  deps: ReceiveMailDeps,
  r: { incoming: IncomingDelivery; mail: ParsedMail; snapshot: InboundSnapshot; claimed: Delivery; followUp?: Ticket },
): Promise<ReceiveOutcome> {
  const { config, clock, store, metrics, logger } = deps;
  const { mail, snapshot, claimed, followUp } = r;
  const sender = claimed.sender ?? '';
  const ticketNumber = claimed.ticketNumber ?? '';
  const now = clock.now();
  const nowIso = now.toISOString();

  // The add-on's convention: login = customer id = email, lower-cased.
  const login = claimed.customerLogin ?? sender;
  const customer: Customer = snapshot.customer ?? {
    login,
    customerId: login,
    email: login,
    language: pickLanguage(config, mail.header('content-language') ?? mail.header('accept-language')),
    disabled: false,
    source: 'mail',
    failedLogins: 0,
    createdAt: nowIso,
  };
  const noReplyReason = customer.disabled
    ? 'customer-disabled'
    : loopReason({
        autoSubmitted: mail.header('auto-submitted'),
        precedence: mail.header('precedence'),
        listId: mail.header('list-id'),
        autoResponseSuppress: mail.header('x-auto-response-suppress'),
      }) ?? (snapshot.autoRepliesToday >= config.AutoReplyDailyCapPerSender ? 'daily-cap' : undefined);
  const token = noReplyReason
    ? undefined
    : mintToken(deps.random, config, now, { ticketNumber, customerLogin: customer.login, purpose: 'auto-reply' });

  const title = followUp?.title ?? titleFromSubject(mail.subject);
  if (followUp) await updateFollowUp(deps, followUp, customer.login, token, nowIso);

  const text = mail.text.slice(0, config.ArticleTextMaxChars);
  // A pending reply keeps the lease: a concurrent duplicate must not send it a second time.
  const settled: Delivery = { ...claimed, status: token ? 'reply-pending' : 'recorded', reason: noReplyReason, leaseUntil: token ? claimed.leaseUntil : undefined };
  await store.writeRecords(
    {
      delivery: settled,
      newCustomer: snapshot.customer ? undefined : customer,
      newTicket: followUp
        ? undefined
        : {
            number: ticketNumber,
            customerLogin: customer.login,
            title,
            state: 'new',
            createdAt: nowIso,
            updatedAt: nowIso,
            autoCreatedCustomer: !snapshot.customer,
            activeTokenHash: token?.record.hash,
            activeTokenExpiresAt: token?.record.expiresAt,
          },
      article: {
        ticketNumber,
        // Derived from the delivery, so a retried write lands on the same item.
        articleId: `${r.incoming.receivedAt}#${createHash('sha256').update(r.incoming.deliveryId).digest('hex').slice(0, 16)}`,
        direction: 'inbound',
        fromAddress: sender,
        fromName: mail.fromName.slice(0, 200),
        subject: mail.subject.slice(0, 998),
        text,
        textTruncated: text.length < mail.text.length,
        attachments: mail.attachments.slice(0, 100),
        rawMailKey: r.incoming.rawMailKey,
        messageId: mail.messageId,
        createdAt: r.incoming.receivedAt,
      },
      indexMessageId: mail.messageId && !snapshot.knownMessage ? mail.messageId : undefined,
      token: token?.record,
      autoReplyCount: token ? { sender, day: utcDay(now), count: snapshot.autoRepliesToday + 1 } : undefined,
    },
    config.InboundDedupDays,
  );

  if (!snapshot.customer) metrics.count('CustomerCreated');
  metrics.count(followUp ? 'FollowUpRecorded' : 'TicketCreated');
  logger.info('Mail recorded', { ticketNumber, followUp: Boolean(followUp), newCustomer: !snapshot.customer, noReplyReason });
  if (!token) {
    metrics.count('ReplySuppressed');
    return 'recorded';
  }
  await sendAutoReply(deps, settled, customer, title, token);
  return 'replied';
}

/** Adds the follow-up to the ticket: reopens it and, when replying, makes the new token the active one. */
async function updateFollowUp(deps: ReceiveMailDeps, ticket: Ticket, login: string, token: MintedToken | undefined, nowIso: string) {
  let current: Ticket | undefined = ticket;
  for (let attempt = 1; current && attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
    const result = await deps.store.updateFollowUpTicket({
      ticketNumber: current.number,
      customerLogin: login,
      previousTokenHash: current.activeTokenHash,
      token: token && { hash: token.record.hash, expiresAt: token.record.expiresAt },
      reopen: CLOSED_STATES.includes(current.state) || current.state === 'pending',
      updatedAt: nowIso,
    });
    if (result === 'updated') {
      if (current.state === 'closed') deps.metrics.count('TicketReopened');
      return;
    }
    current = await deps.store.getTicket(ticket.number);
  }
  throw new RetryableError('Follow-up ticket kept changing under us');
}

/** A follow-up belongs to the sender's own ticket; merged or removed tickets start a new one. */
async function findFollowUpTicket(store: InboundStore, snapshot: InboundSnapshot, login: string): Promise<Ticket | undefined> {
  const usable = (t: Ticket | undefined) => t && t.customerLogin === login && t.state !== 'merged' && t.state !== 'removed';
  if (usable(snapshot.subjectTicket)) return snapshot.subjectTicket;
  const ref = snapshot.threadRefs.find((t) => t.customerLogin === login && t.ticketNumber !== snapshot.subjectTicket?.number);
  if (!ref) return undefined;
  const ticket = await store.getTicket(ref.ticketNumber);
  return usable(ticket) ? ticket : undefined;
}

function duplicate(deps: ReceiveMailDeps, status: string): 'duplicate' {
  deps.metrics.count('MailDuplicate');
  deps.logger.info('Duplicate delivery', { status });
  return 'duplicate';
}

/** A delivery seen before: nothing is created again; only a reply that never went out is redone. */
async function settleExisting(deps: ReceiveMailDeps, delivery: Delivery): Promise<ReceiveOutcome> {
  const { store, clock, config, metrics, logger } = deps;
  const now = clock.now();
  if (delivery.leaseUntil && delivery.leaseUntil > now.toISOString()) {
    // Another invocation holds it; if that one fails, its own retry finishes the work.
    metrics.count('MailInFlight');
    return duplicate(deps, delivery.status);
  }
  if (delivery.status !== 'reply-pending' || !delivery.ticketNumber || !delivery.customerLogin) return duplicate(deps, delivery.status);
  const resumed: Delivery = { ...delivery, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() };
  const claim = await store.claimDelivery(resumed, config.InboundDedupDays, delivery);
  if (!claim.claimed) return duplicate(deps, claim.existing.status);
  return releasingOnFailure(deps, resumed, async () => {
    const [ticket, customer] = await Promise.all([store.getTicket(resumed.ticketNumber ?? ''), store.getCustomer(resumed.customerLogin ?? '')]);
    if (!ticket || !customer) throw new RetryableError('Ticket or customer of a pending reply not readable');
    // The token of the failed attempt never left its process: a fresh one replaces it.
    const token = mintToken(deps.random, config, clock.now(), { ticketNumber: ticket.number, customerLogin: customer.login, purpose: 'auto-reply' });
    let previous = ticket.activeTokenHash;
    for (let attempt = 1; ; attempt++) {
      const result = await store.activateToken(token.record, previous);
      if (result === 'updated') break;
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw new RetryableError('Could not activate the token of a pending reply');
      previous = (await store.getTicket(ticket.number))?.activeTokenHash;
    }
    logger.info('Resuming a reply that was not sent', { ticketNumber: ticket.number });
    metrics.count('ReplyResumed');
    await sendAutoReply(deps, resumed, customer, ticket.title, token);
    return 'replied' as const;
  });
}

async function sendAutoReply(deps: ReceiveMailDeps, delivery: Delivery, customer: Customer, title: string, token: MintedToken): Promise<void> {
  const { config, mailer, store, clock, metrics } = deps;
  const ticketNumber = token.record.ticketNumber;
  const rendered = renderTemplate(
    config.AutoReply,
    { TicketNumber: ticketNumber, Title: title, Link: linkFor(config.PortalUrl, ticketNumber, token.raw), CustomerEmail: customer.email },
    customer.language,
    config,
  );
  const inReplyTo = delivery.inboundMessageId;
  const references = delivery.references ?? [];
  const { messageId } = await mailer.send({
    from: { name: config.SupportName, address: config.SupportAddress },
    // §3.1: only ever the customer's own address, never Reply-To, Cc or anything the mail names.
    to: customer.email,
    ...rendered,
    language: customer.language,
    inReplyTo,
    references: inReplyTo ? [...references, inReplyTo].slice(-MAX_REFERENCES) : references,
  });
  const sentAt = clock.now().toISOString();
  await store.markReplied({ ...delivery, status: 'replied', leaseUntil: undefined, repliedAt: sentAt }, messageId, { ...token.record, sentAt }, config.InboundDedupDays);
  metrics.count('MailReplied');
}
