/** `link send <ticket>` and `sweep [--now <ISO time>]`. */
import type { SweepReport } from '../../shared/use-cases/sweep-closed-tickets.js';
import { UsageError, type Command } from '../command.js';
import { cell, fields } from '../format.js';
import { invokeFunction, sendHelpdeskEvent } from '../invoke.js';

export const linkCommands: Command[] = [
  {
    words: ['link', 'send'],
    args: ['<ticket>'],
    options: ['json'],
    summary: "Mails the ticket's customer a fresh one-time link (refused for a disabled customer or a ticket beyond its window).",
    async run(ctx) {
      const ticketNumber = (ctx.args[0] ?? '').trim();
      const answer = await sendHelpdeskEvent(ctx, 'LinkRequested', { ticketNumber });
      if (ctx.options.json) return ctx.printJson(answer);
      const sentTo = (answer.result as { sentTo?: string } | undefined)?.sentTo;
      ctx.print(`Link for ticket ${cell(ticketNumber)} sent to ${cell(sentTo)}`);
    },
  },
];

export const sweepCommands: Command[] = [
  {
    words: ['sweep'],
    args: [],
    options: ['now', 'json'],
    summary: 'Deletes the tokens of tickets closed longer than AccessDaysAfterClose (as of --now).',
    async run(ctx) {
      const now = ctx.options.now;
      if (now !== undefined && Number.isNaN(Date.parse(now))) throw new UsageError(`--now takes an ISO time, e.g. 2026-12-24T04:00:00Z; got "${cell(now)}"`);
      const report = (await invokeFunction(ctx, 'sweep', now ? { now: new Date(now).toISOString() } : {})) as SweepReport;
      if (ctx.options.json) return ctx.printJson(report);
      ctx.print(
        [
          `Sweep as of ${report.asOf}`,
          fields([
            ['Cutoff', `${report.cutoff} (tickets closed at or before it lose their tokens)`],
            ['Tickets swept', report.ticketsExamined],
            ['Tokens deleted', report.tokensDeleted],
            ['Index pages read', report.pages],
            ['Complete', report.complete],
          ]),
        ].join('\n'),
      );
    },
  },
];
