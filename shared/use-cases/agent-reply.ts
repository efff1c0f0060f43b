/**
 * agent-reply: the helpdesk answers a ticket (DESIGN §3.5). The customer gets the reply text and a
 * fresh one-time link in one mail — the add-on's ticket-link placeholder.
 *
 *  1. The ticket (not merged or removed) and its customer.
 *  2. The outbound article; its id derives from the event, so a redelivery rewrites the same item.
 *  3. A fresh link with the reply (AgentReplyNotification, {{Text}} and {{AgentName}}), threaded
 *     into the ticket's conversation. A disabled customer, or a ticket beyond its window, gets no
 *     link: the article is kept and the outcome says why nothing was mailed.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../domain/model.js';
import { isGone } from '../domain/ticket-lifecycle.js';
import { NotFoundError } from '../errors.js';
import type { CustomerRepository } from '../ports/customers.js';
import { issueLink, type IssueRefusal, type LinkDeps } from './issue-link.js';

export interface AgentReplyDeps extends LinkDeps {
  customers: Pick<CustomerRepository, 'get'>;
}

export interface AgentReply {
  eventId: string;
  ticketNumber: string;
  text: string;
  from?: string;
  subject?: string;
  at?: string;
}

export type AgentReplyOutcome = { mailed: true; articleId: string } | { mailed: false; articleId: string; reason: IssueRefusal | 'mail-failed' };

export async function agentReply(deps: AgentReplyDeps, reply: AgentReply): Promise<AgentReplyOutcome> {
  const { config, clock } = deps;
  const ticket = await deps.tickets.get(reply.ticketNumber);
  if (!ticket || isGone(ticket.state)) throw new NotFoundError(`No ticket ${reply.ticketNumber} to reply to`);
  const customer = await deps.customers.get(ticket.customerLogin);
  if (!customer) throw new NotFoundError(`No customer ${ticket.customerLogin} for ticket ${ticket.number}`);
  const at = reply.at && Date.parse(reply.at) < clock.now().getTime() ? new Date(reply.at).toISOString() : clock.now().toISOString();
  const article: Article = {
    ticketNumber: ticket.number,
    articleId: `${at}#${createHash('sha256').update(reply.eventId).digest('hex').slice(0, 16)}`,
    direction: 'outbound',
    channel: 'helpdesk',
    fromAddress: config.SupportAddress,
    fromName: reply.from ?? config.SupportName,
    subject: reply.subject ?? `[Ticket#${ticket.number}] ${ticket.title}`,
    text: reply.text,
    textTruncated: false,
    attachments: [],
    createdAt: at,
  };
  await deps.tickets.addArticle(article);
  const outcome = await issueLink(deps, {
    ticket,
    customer,
    purpose: 'agent-reply',
    mail: {
      template: 'AgentReplyNotification',
      values: { Text: reply.text, AgentName: reply.from ?? config.SupportName },
      inReplyTo: ticket.lastMessageId,
      references: [ticket.firstMessageId, ticket.lastMessageId].filter((id): id is string => Boolean(id)),
    },
  });
  if (outcome.issued) return { mailed: true, articleId: article.articleId };
  // A failed send is the caller's to retry (a redelivery rewrites the same article and mails again).
  if (outcome.reason === 'mail-failed') throw outcome.error;
  deps.logger.info('Agent reply recorded without a mail', { ticketNumber: ticket.number, reason: outcome.reason });
  return { mailed: false, articleId: article.articleId, reason: outcome.reason };
}
