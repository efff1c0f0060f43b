/**
 * `delivery list [--stuck]` and `delivery replay <ses-id>`: what happened to inbound mail, which
 * mail will not be answered unless someone acts, and running the inbound function again for one
 * mail with the receipt event SES gave it (rebuilt from the trace SES stored with the raw mail).
 */
import { rebuildSesEvent } from '../../local/ses-event.js';
import { findStuckDeliveries } from '../../shared/use-cases/find-stuck-deliveries.js';
import { parseConfig } from '../../shared/config.js';
import { NotFoundError, TargetError, UsageError, type Command } from '../command.js';
import { cell, plural, table, type Column } from '../format.js';
import type { Delivery } from '../../shared/domain/model.js';
import type { StuckMail } from '../../shared/use-cases/find-stuck-deliveries.js';

const SES_ID = /^[A-Za-z0-9._-]{1,128}$/;

const deliveryColumns: Column<Delivery>[] = [
  { header: 'SES ID', value: (d) => d.deliveryId, max: 42 },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'REASON', value: (d) => d.reason, max: 40 },
  { header: 'SENDER', value: (d) => d.sender, max: 40 },
  { header: 'TICKET', value: (d) => d.ticketNumber },
  { header: 'RECEIVED', value: (d) => d.receivedAt },
  { header: 'COPIES', value: (d) => d.copies?.length ?? 0 },
];

const stuckColumns: Column<StuckMail>[] = [
  { header: 'SES ID', value: (d) => d.deliveryId, max: 42 },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'SINCE', value: (d) => d.since },
  { header: 'TICKET', value: (d) => d.ticketNumber },
];

export const deliveryCommands: Command[] = [
  {
    words: ['delivery', 'list'],
    args: [],
    options: ['stuck', 'json'],
    summary: 'Inbound mail of the dedup window, newest first; --stuck: only mail no one will answer unless someone acts.',
    async run(ctx) {
      const deps = { config: parseConfig({}), clock: { now: ctx.now }, deliveries: ctx.target.repos.deliveries, archive: await ctx.target.archive() };
      if (ctx.options.stuck) {
        const { stuck } = await findStuckDeliveries(deps);
        if (ctx.options.json) return ctx.printJson(stuck);
        if (!stuck.length) return ctx.print('No stuck mail.');
        return ctx.print(`${table(stuck, stuckColumns)}\n\n${plural(stuck.length, 'stuck mail', 'stuck mails')}: replay each with \`npm run ota -- delivery replay <ses-id>\``);
      }
      const { items } = await ctx.target.repos.deliveries.list();
      if (ctx.options.json) return ctx.printJson(items);
      ctx.print(items.length ? `${table(items, deliveryColumns)}\n\n${plural(items.length, 'delivery', 'deliveries')}` : 'No deliveries.');
    },
  },
  {
    words: ['delivery', 'replay'],
    args: ['<ses-id>'],
    options: ['json'],
    summary: 'Runs the inbound function again for one stored mail, with the receipt event it arrived with.',
    async run(ctx) {
      const id = (ctx.args[0] ?? '').trim();
      if (!SES_ID.test(id)) throw new UsageError(`"${cell(id)}" is not an SES message id`);
      const archive = await ctx.target.archive();
      const stored = await archive.read(id).catch((e: unknown) => {
        if ((e as Error).name === 'RawMailMissingError') throw new NotFoundError(`No raw mail for ${id}: ${(e as Error).message}`);
        throw e;
      });
      const answer = await ctx.target.invoke('inbound-mail', rebuildSesEvent(stored.bytes, id, stored.storedAt, []));
      if (!answer.ok) throw new TargetError(`The inbound function failed: ${answer.errorType}: ${answer.errorMessage}`);
      if (ctx.options.json) return ctx.printJson(answer.result);
      const outcomes = (answer.result as { outcomes?: string[] })?.outcomes ?? [];
      ctx.print(`Replayed ${id}: ${outcomes.join(', ') || 'no outcome'}`);
    },
  },
];
