/** `ticket list [--customer <login>] [--state <state>]` and `ticket show <number>`. */
import type { Article, TicketState } from '../../shared/domain/model.js';
import { NotFoundError, UsageError, type Command, type CommandContext } from '../command.js';
import { sendHelpdeskEvent } from '../invoke.js';
import type { StateOutcome } from '../../shared/use-cases/change-ticket-state.js';
import type { AgentReplyOutcome } from '../../shared/use-cases/agent-reply.js';
import { cell, fields, indent, plural, safe, table } from '../format.js';
import { attachmentsLine, ticketColumns, ticketView, tokenColumns, tokenSummary } from '../views.js';
import { normaliseLogin } from './customer.js';

export const TICKET_STATES = ['new', 'open', 'pending', 'closed', 'merged', 'removed'] as const satisfies readonly TicketState[];
// Fails to compile when the model gains a state this list lacks.
const _everyState: Exclude<TicketState, (typeof TICKET_STATES)[number]> extends never ? true : never = true;

function parseState(value: string | undefined): TicketState | undefined {
  if (value === undefined) return undefined;
  const state = TICKET_STATES.find((s) => s === value.trim().toLowerCase());
  if (!state) throw new UsageError(`Unknown ticket state "${cell(value)}"; use one of: ${TICKET_STATES.join(', ')}`);
  return state;
}

export const ticketCommands: Command[] = [
  {
    words: ['ticket', 'list'],
    args: [],
    options: ['customer', 'state', 'json'],
    summary: 'Tickets, newest first; --customer <login> and --state <state> narrow the list.',
    async run(ctx) {
      const state = parseState(ctx.options.state);
      const login = ctx.options.customer === undefined ? undefined : normaliseLogin(ctx.options.customer);
      const repo = ctx.target.repos.tickets;
      const page = login === undefined ? await repo.list({ state }) : await repo.listByCustomer(login, { state });
      const views = page.items.map(ticketView);
      if (ctx.options.json) return ctx.printJson(views);
      if (!views.length) return ctx.print('No tickets.');
      ctx.print(`${table(views, ticketColumns)}\n\n${plural(views.length, 'ticket', 'tickets')}`);
    },
  },
  {
    words: ['ticket', 'show'],
    args: ['<number>'],
    options: ['json'],
    summary: "One ticket with its articles and a summary of its links' tokens (never the tokens).",
    async run(ctx) {
      const number = (ctx.args[0] ?? '').trim();
      const { tickets, tokens: tokenRepo } = ctx.target.repos;
      const [found, tokens] = await Promise.all([tickets.view(number), tokenRepo.listByTicket(number)]);
      if (!found) throw new NotFoundError(`No ticket ${cell(number, 200)}`);
      const { ticket, articles } = found;
      const now = ctx.now();
      const summaries = tokens.map((t) => tokenSummary(t, ticket, now));
      if (ctx.options.json) return ctx.printJson({ ...ticketView(ticket), articles, tokens: summaries });
      ctx.print(
        [
          `Ticket ${cell(ticket.number)} — ${cell(ticket.title, 200)}`,
          fields([
            ['State', ticket.state],
            ['Customer', ticket.customerLogin],
            ['Created', ticket.createdAt],
            ['Updated', ticket.updatedAt],
            ['Closed', ticket.closedAt],
            ['Auto-created customer', ticket.autoCreatedCustomer],
          ]),
          '',
          `Articles (${articles.length})`,
          ...articles.map((a, i) => `${articleBlock(a, i + 1)}\n`),
          `Tokens (${summaries.length})`,
          summaries.length ? indent(table(summaries, tokenColumns), '  ') : '  None.',
        ].join('\n'),
      );
    },
  },
];

function articleBlock(article: Article, position: number): string {
  const from = article.fromName ? `${article.fromName} <${article.fromAddress}>` : article.fromAddress;
  const head = `  [${position}] ${cell(article.createdAt)}  ${cell(article.direction)}  ${cell(from, 200)}`;
  const details = fields(
    [
      ['Subject', article.subject],
      ...(article.attachments.length ? [['Attachments', attachmentsLine(article)] as [string, unknown]] : []),
      ...(article.rawMailKey ? [['Raw mail', article.rawMailKey] as [string, unknown]] : []),
      ...(article.textTruncated ? [['Note', 'text truncated when stored']] as [string, unknown][] : []),
    ],
    '      ',
  );
  return `${head}\n${details}\n\n${indent(safe(article.text.trimEnd()), '      ')}`;
}

/** ticket close|reopen|remove|merge: a TicketStateChanged event, applied by the system's own handler. */
function stateCommand(verb: string, state: TicketState, summary: string): Command {
  return {
    words: ['ticket', verb],
    args: ['<number>'],
    options: state === 'merged' ? ['into', 'json'] : ['json'],
    summary,
    async run(ctx) {
      const ticketNumber = (ctx.args[0] ?? '').trim();
      const into = ctx.options.into?.trim();
      if (state === 'merged' && !into) throw new UsageError('"ticket merge" needs --into <number>: the ticket it lives on in');
      await changeState(ctx, ticketNumber, state, into);
    },
  };
}

async function changeState(ctx: CommandContext, ticketNumber: string, state: TicketState, mergedInto?: string) {
  const answer = await sendHelpdeskEvent(ctx, 'TicketStateChanged', { ticketNumber, state, ...(mergedInto ? { mergedInto } : {}) });
  if (ctx.options.json) return ctx.printJson(answer);
  const result = answer.result as StateOutcome | undefined;
  if (!result) return ctx.print(`Ticket ${cell(ticketNumber)}: ${answer.status}`);
  ctx.print(result.outcome === 'unchanged' ? `Ticket ${cell(ticketNumber)} is ${result.to} already` : `Ticket ${cell(ticketNumber)}: ${result.from} → ${result.to}${result.closedAt ? ` (closed at ${result.closedAt})` : ''}`);
}

ticketCommands.push(
  stateCommand('close', 'closed', 'Closes a ticket: its links work AccessDaysAfterClose days more, then the sweep deletes them.'),
  stateCommand('reopen', 'open', 'Reopens a closed ticket: its links work again.'),
  stateCommand('remove', 'removed', 'Removes a ticket: its links stop working at once.'),
  stateCommand('merge', 'merged', 'Merges a ticket into another (--into): its links stop working, its page shows nothing.'),
  {
    words: ['ticket', 'reply'],
    args: ['<number>'],
    options: ['text', 'from', 'json'],
    summary: "Adds an agent's reply and mails it to the customer with a fresh one-time link.",
    async run(ctx) {
      const ticketNumber = (ctx.args[0] ?? '').trim();
      const text = ctx.options.text?.replace(/\\n/g, '\n');
      if (!text?.trim()) throw new UsageError('"ticket reply" needs --text <text>');
      const answer = await sendHelpdeskEvent(ctx, 'AgentReplied', { ticketNumber, text, ...(ctx.options.from ? { from: ctx.options.from } : {}) });
      if (ctx.options.json) return ctx.printJson(answer);
      const result = answer.result as AgentReplyOutcome | undefined;
      if (result && !result.mailed) return ctx.print(`Reply added to ticket ${cell(ticketNumber)}; not mailed: ${result.reason}`);
      ctx.print(`Reply added to ticket ${cell(ticketNumber)} and mailed with a fresh link`);
    },
  },
  {
    words: ['ticket', 'audit'],
    args: ['<number>'],
    options: ['json'],
    summary: "A ticket's whole access trail, newest first: links minted, mailed, opened, used, refused; sign-outs.",
    async run(ctx) {
      const number = (ctx.args[0] ?? '').trim();
      const [ticket, trail] = await Promise.all([ctx.target.repos.tickets.get(number), ctx.target.repos.trail.list(number)]);
      if (!ticket) throw new NotFoundError(`No ticket ${cell(number, 200)}`);
      if (ctx.options.json) return ctx.printJson(trail);
      if (!trail.length) return ctx.print(`No access recorded for ticket ${cell(number)}.`);
      ctx.print(`Access trail of ticket ${cell(number)} (${plural(trail.length, 'entry', 'entries')})\n${table(trail, [
        { header: 'AT', value: (e) => e.at },
        { header: 'EVENT', value: (e) => e.event },
        // A counted entry (opens of one link in one hour): how often, and the last time and client.
        { header: 'DETAIL', value: (e) => [e.detail, e.count ? `${e.count}×, last ${e.lastAt ?? e.at}${e.lastClient ? ` (${e.lastClient})` : ''}` : undefined].filter(Boolean).join('; ') || undefined },
        { header: 'CLIENT', value: (e) => e.client },
      ])}`);
    },
  },
);
