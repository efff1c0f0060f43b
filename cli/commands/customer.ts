/** `customer list` and `customer show <login>`. */
import { NotFoundError, type Command } from '../command.js';
import { sendHelpdeskEvent } from '../invoke.js';
import { cell, fields, plural, table } from '../format.js';
import { customerColumns, ticketColumns, ticketView } from '../views.js';

/** Logins are stored lower-cased (the add-on's convention); people type them any way. */
export const normaliseLogin = (login: string) => login.trim().toLowerCase();

export const customerCommands: Command[] = [
  {
    words: ['customer', 'list'],
    args: [],
    options: ['json'],
    summary: 'All customers, by login.',
    async run(ctx) {
      const { items } = await ctx.target.repos.customers.list();
      if (ctx.options.json) return ctx.printJson(items);
      ctx.print(items.length ? `${table(items, customerColumns)}\n\n${plural(items.length, 'customer', 'customers')}` : 'No customers.');
    },
  },
  {
    words: ['customer', 'show'],
    args: ['<login>'],
    options: ['json'],
    summary: 'One customer and their tickets, newest first.',
    async run(ctx) {
      const login = normaliseLogin(ctx.args[0] ?? '');
      const { customers, tickets } = ctx.target.repos;
      const [customer, page] = await Promise.all([customers.get(login), tickets.listByCustomer(login)]);
      if (!customer) throw new NotFoundError(`No customer ${cell(login, 200)}`);
      const views = page.items.map(ticketView);
      if (ctx.options.json) return ctx.printJson({ ...customer, tickets: views });
      ctx.print(
        [
          `Customer ${cell(customer.login, 200)}`,
          fields([
            ['Email', customer.email],
            ['Customer ID', customer.customerId],
            ['Language', customer.language],
            ['Disabled', customer.disabled],
            ['Source', customer.source],
            ['Failed logins', customer.failedLogins],
            ['Created', customer.createdAt],
          ]),
          '',
          `Tickets (${views.length})`,
          views.length ? table(views, ticketColumns) : 'None.',
        ].join('\n'),
      );
    },
  },
];

function statusCommand(verb: 'disable' | 'enable'): Command {
  return {
    words: ['customer', verb],
    args: ['<login>'],
    options: ['json'],
    summary: verb === 'disable' ? "Disables a customer: their links and sessions stop working at once; their mail stays unanswered." : 'Enables a customer again: their next mail or `link send` brings a working link.',
    async run(ctx) {
      const login = normaliseLogin(ctx.args[0] ?? '');
      const answer = await sendHelpdeskEvent(ctx, 'CustomerStatusChanged', { login, disabled: verb === 'disable' });
      if (ctx.options.json) return ctx.printJson(answer);
      const result = answer.result as { tickets: number; sessionsEnded: number } | undefined;
      ctx.print(`Customer ${cell(login, 200)} ${verb}d${result ? ` (${plural(result.tickets, 'ticket', 'tickets')}, ${plural(result.sessionsEnded, 'session', 'sessions')} ended)` : ''}`);
    },
  };
}

customerCommands.push(statusCommand('disable'), statusCommand('enable'));
