/**
 * agent-reply: the helpdesk answers a ticket (docs/events.md, 'Events in'). The customer gets the
 * reply text and a fresh one-time link in one mail — the add-on's ticket-link placeholder.
 *
 *  1. The ticket (not merged or removed) and its customer.
 *  2. The outbound article; its id derives from the event (its id, and its time or the detail's
 *     `at`, never the clock), so a redelivery — also one after a failed send — rewrites the same item.
 *  2b. The files it names, which the helpdesk put under its prefix for this ticket
 *     (FILE_PREFIXES.helpdesk): each must be there (one HeadObject each, together), else the event
 *     is refused naming the key. The article lists them; the bytes stay where the helpdesk put them.
 *  3. A fresh link with the reply (AgentReplyNotification, {{Text}} and {{AgentName}}), threaded
 *     into the ticket's conversation; with files, the text says they wait in the portal (the mail
 *     carries a link, not the files). A disabled customer, or a ticket beyond its window, gets no
 *     link: the article is kept and the outcome says why nothing was mailed.
 */
import { createHash } from 'node:crypto';
import type { Language } from '../config.js';
import { cleanContentType, isHelpdeskFileKey } from '../domain/files.js';
import { cleanFileName } from '../domain/mail-rules.js';
import type { Article, AttachmentInfo } from '../domain/model.js';
import { isGone } from '../domain/ticket-lifecycle.js';
import { NotFoundError, RefusedError } from '../errors.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { HelpdeskFiles } from '../ports/files.js';
import { issueLink, ticketThread, type IssueRefusal, type LinkDeps } from './issue-link.js';

export interface AgentReplyDeps extends LinkDeps {
  customers: Pick<CustomerRepository, 'get'>;
  helpdeskFiles: HelpdeskFiles;
}

export interface AgentReply {
  eventId: string;
  ticketNumber: string;
  text: string;
  from?: string;
  subject?: string;
  at?: string;
  /** The envelope's time, the same on every redelivery. */
  eventTime?: string;
  /** Files the helpdesk put for this reply (shared/events/helpdesk.ts). */
  attachments?: { key: string; name?: string }[];
}

/** The line a reply with files adds to the mail, in the customer's language. */
const FILES_WAITING: Record<Language, (names: string[]) => string> = {
  en: (names) => `This reply has ${names.length === 1 ? 'a file' : `${names.length} files`} waiting for you in the portal: ${names.join(', ')}`,
  de: (names) => `Zu dieser Antwort ${names.length === 1 ? 'liegt eine Datei' : `liegen ${names.length} Dateien`} im Portal für Sie bereit: ${names.join(', ')}`,
};

export type AgentReplyOutcome = { mailed: true; articleId: string } | { mailed: false; articleId: string; reason: IssueRefusal | 'mail-failed' };

export async function agentReply(deps: AgentReplyDeps, reply: AgentReply): Promise<AgentReplyOutcome> {
  const { config, clock } = deps;
  const ticket = await deps.tickets.get(reply.ticketNumber);
  if (!ticket || isGone(ticket.state)) throw new NotFoundError(`No ticket ${reply.ticketNumber} to reply to`);
  const [customer, attachments] = await Promise.all([deps.customers.get(ticket.customerLogin), helpdeskAttachments(deps, ticket.number, reply.attachments ?? [])]);
  if (!customer) throw new NotFoundError(`No customer ${ticket.customerLogin} for ticket ${ticket.number}`);
  // The id takes the event's own time (the detail's `at`, else the envelope's), never the clock's,
  // so every redelivery writes the same item; the article's time is never later than now.
  const now = clock.now().getTime();
  const stated = [reply.at, reply.eventTime].map((t) => (t ? Date.parse(t) : NaN)).find((t) => !Number.isNaN(t));
  const at = new Date(stated === undefined ? now : Math.min(stated, now)).toISOString();
  const idTime = stated === undefined ? at : new Date(stated).toISOString();
  const article: Article = {
    ticketNumber: ticket.number,
    articleId: `${idTime}#${createHash('sha256').update(reply.eventId).digest('hex').slice(0, 16)}`,
    direction: 'outbound',
    channel: 'helpdesk',
    fromAddress: config.SupportAddress,
    fromName: reply.from ?? config.SupportName,
    subject: reply.subject ?? `[Ticket#${ticket.number}] ${ticket.title}`,
    text: reply.text,
    textTruncated: false,
    attachments,
    createdAt: at,
  };
  await deps.tickets.addArticle(article);
  const text = attachments.length ? `${reply.text}\n\n${(FILES_WAITING[customer.language] ?? FILES_WAITING.en)(attachments.map((a) => a.filename))}` : reply.text;
  const outcome = await issueLink(deps, {
    ticket,
    customer,
    purpose: 'agent-reply',
    mail: {
      template: 'AgentReplyNotification',
      values: { Text: text, AgentName: reply.from ?? config.SupportName },
      ...ticketThread(ticket),
    },
  });
  if (outcome.issued) return { mailed: true, articleId: article.articleId };
  // A failed send is the caller's to retry (a redelivery rewrites the same article and mails again).
  if (outcome.reason === 'mail-failed') throw outcome.error;
  deps.logger.info('Agent reply recorded without a mail', { ticketNumber: ticket.number, reason: outcome.reason });
  return { mailed: false, articleId: article.articleId, reason: outcome.reason };
}

/** The helpdesk's files, each checked to be under its prefix for this ticket and there to read. */
async function helpdeskAttachments(deps: Pick<AgentReplyDeps, 'helpdeskFiles'>, ticketNumber: string, named: { key: string; name?: string }[]): Promise<AttachmentInfo[]> {
  for (const { key } of named) if (!isHelpdeskFileKey(key, ticketNumber)) throw new RefusedError(`Attachment key ${key.slice(0, 200)} is not under helpdesk-files/${ticketNumber}/`);
  const found = await Promise.all(named.map((f) => deps.helpdeskFiles.describe(f.key)));
  return named.map(({ key, name }, i) => {
    const file = found[i];
    if (!file) throw new NotFoundError(`No file at ${key} (the helpdesk puts it there before sending AgentReplied)`);
    return { filename: cleanFileName(name ?? key.split('/').at(-1) ?? ''), contentType: cleanContentType(file.contentType), size: file.size, key };
  });
}
