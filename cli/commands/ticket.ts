/** `ticket list [--customer <login>] [--state <state>]` and `ticket show <number>`. */
import type { Article, TicketState } from '../../shared/domain/model.js';
import { NotFoundError, UsageError, type Command } from '../command.js';
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
      ctx.print(`${table(views, ticketColumns)}\n\n${plural(views.length, 'ticket')}`);
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
