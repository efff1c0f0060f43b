/**
 * The events a helpdesk (or the ops CLI) sends to the helpdesk-events function, on the project's
 * bus with `source` = HelpdeskEventSource. The envelope is EventBridge's; `id` makes each event
 * apply once however often it is delivered. A detail that does not have its type's shape is
 * refused as a whole, before anything is written.
 *
 * | detail-type           | detail |
 * |-----------------------|--------|
 * | TicketStateChanged    | { ticketNumber, state: new|open|pending|closed|merged|removed, mergedInto?, at? } |
 * | AgentReplied          | { ticketNumber, text, from?, subject?, at? } |
 * | CustomerStatusChanged | { login, disabled } |
 * | LinkRequested         | { ticketNumber } |
 */
import * as z from 'zod/mini';
import '../zod.js';
import { TICKET_STATES, type TicketState } from '../domain/model.js';

const ticketNumber = z.string().check(z.regex(/^\d{8,20}$/, 'expected a ticket number (8 to 20 digits)'));
const at = z.optional(z.iso.datetime({ offset: true }));

export const HELPDESK_DETAILS = {
  TicketStateChanged: z
    .strictObject({
      ticketNumber,
      state: z.enum(TICKET_STATES as [TicketState, ...TicketState[]]),
      mergedInto: z.optional(ticketNumber),
      at,
    })
    .check(
      z.refine((d) => (d.state === 'merged') === (d.mergedInto !== undefined), { message: 'mergedInto is required for state merged, and only for it', path: ['mergedInto'] }),
      z.refine((d) => d.mergedInto !== d.ticketNumber, { message: 'a ticket cannot be merged into itself', path: ['mergedInto'] }),
    ),
  AgentReplied: z.strictObject({
    ticketNumber,
    text: z.string().check(z.minLength(1), z.maxLength(20_000)),
    /** The agent's name as the customer should see it. */
    from: z.optional(z.string().check(z.maxLength(200))),
    subject: z.optional(z.string().check(z.maxLength(998))),
    at,
  }),
  CustomerStatusChanged: z.strictObject({
    login: z.string().check(z.minLength(3), z.maxLength(254)),
    disabled: z.boolean(),
  }),
  LinkRequested: z.strictObject({ ticketNumber }),
} as const;

export type HelpdeskDetailType = keyof typeof HELPDESK_DETAILS;
export type HelpdeskDetail<T extends HelpdeskDetailType> = z.infer<(typeof HELPDESK_DETAILS)[T]>;

export const envelopeSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  source: z.string(),
  'detail-type': z.string(),
  time: z.optional(z.string()),
  detail: z.unknown(),
});

export type HelpdeskEvent = { [T in HelpdeskDetailType]: { id: string; type: T; detail: HelpdeskDetail<T> } }[HelpdeskDetailType];

/** Reads an EventBridge event as a helpdesk event; the problems name the field, for the log and the failure queue. */
export function parseHelpdeskEvent(event: unknown, source: string): { ok: true; event: HelpdeskEvent } | { ok: false; problems: string[] } {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return { ok: false, problems: envelope.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`) };
  const e = envelope.data;
  if (e.source !== source) return { ok: false, problems: [`source: expected ${source}, got ${e.source.slice(0, 100)}`] };
  const type = e['detail-type'];
  if (!(type in HELPDESK_DETAILS)) return { ok: false, problems: [`detail-type: unknown ${type.slice(0, 100)}; expected one of ${Object.keys(HELPDESK_DETAILS).join(', ')}`] };
  const detail = HELPDESK_DETAILS[type as HelpdeskDetailType].safeParse(e.detail);
  if (!detail.success) return { ok: false, problems: detail.error.issues.slice(0, 5).map((i) => `detail.${i.path.join('.') || '(root)'}: ${i.message}`) };
  return { ok: true, event: { id: e.id, type, detail: detail.data } as HelpdeskEvent };
}
