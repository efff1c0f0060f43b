/**
 * The events a helpdesk (or the ops CLI) sends to the helpdesk-events function, on the project's
 * bus with `source` = HelpdeskEventSource. The envelope is EventBridge's; `id` makes each event
 * apply once however often it is delivered; a helpdesk that may send one event twice (a retried
 * PutEvents gets a new id) names it in `detail.eventId`, which then takes the id's place. A detail
 * that does not have its type's shape is refused as a whole, before anything is written.
 *
 * | detail-type           | detail |
 * |-----------------------|--------|
 * | TicketStateChanged    | { ticketNumber, state: new|open|pending|closed|merged|removed, mergedInto?, at? } |
 * | AgentReplied          | { ticketNumber, text, from?, subject?, at?, attachments?: [{ key, name? }] } |
 * | CustomerStatusChanged | { login, disabled } |
 * | LinkRequested         | { ticketNumber } |
 *
 * One event comes from this system itself (`source` = EventSource), the portal's hand-off of a
 * self-service request (shared/use-cases/request-link.ts) to this function:
 *
 * | SelfServiceLinkRequested | { eventId, at, ticketNumber, emailSha256, client? } |
 */
import * as z from 'zod/mini';
import '../zod.js';
import { TICKET_STATES } from '../domain/model.js';

/** Files one agent reply may name. */
export const AGENT_FILES_MAX = 20;

export const ticketNumber = z.string().check(z.regex(/^\d{8,20}$/, 'expected a ticket number (8 to 20 digits)'));
const at = z.optional(z.iso.datetime({ offset: true }));

export const HELPDESK_DETAILS = {
  TicketStateChanged: z
    .strictObject({
      ticketNumber,
      state: z.enum(TICKET_STATES),
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
    /**
     * Files the helpdesk put into the raw-mail bucket under `helpdesk-files/<ticketNumber>/` (the stack
     * grants it that prefix: infra/README.md); `name` is what the customer sees (else the key's last part).
     */
    attachments: z.optional(
      z.array(z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(1024)), name: z.optional(z.string().check(z.minLength(1), z.maxLength(255))) })).check(z.maxLength(AGENT_FILES_MAX)),
    ),
  }),
  CustomerStatusChanged: z.strictObject({
    login: z.string().check(z.minLength(3), z.maxLength(254)),
    disabled: z.boolean(),
  }),
  LinkRequested: z.strictObject({ ticketNumber }),
} as const;

/** Events this system puts on its own bus for the helpdesk-events function to act on. */
export const OWN_DETAILS = {
  SelfServiceLinkRequested: z.strictObject({
    eventId: z.string().check(z.maxLength(128)),
    at: z.iso.datetime({ offset: true }),
    ticketNumber,
    emailSha256: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'expected a base64url SHA-256')),
    client: z.optional(z.string().check(z.maxLength(200))),
  }),
} as const;

type Details = typeof HELPDESK_DETAILS & typeof OWN_DETAILS;
export type HelpdeskDetailType = keyof typeof HELPDESK_DETAILS;
/** The helpdesk's own id of an event (optional `detail.eventId` of every helpdesk event). */
export const HELPDESK_EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
type AnyDetailType = keyof Details;
export type HelpdeskDetail<T extends HelpdeskDetailType> = z.infer<(typeof HELPDESK_DETAILS)[T]>;

export const envelopeSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  source: z.string(),
  'detail-type': z.string(),
  time: z.optional(z.string()),
  detail: z.unknown(),
});

export type HelpdeskEvent = { [T in AnyDetailType]: { id: string; type: T; detail: z.infer<Details[T]>; /** The envelope's time: the same on every redelivery. */ time?: string } }[AnyDetailType];

/** Reads an EventBridge event as a helpdesk event; the problems name the field, for the log and the failure queue. */
export function parseHelpdeskEvent(event: unknown, sources: { helpdesk: string; own: string }): { ok: true; event: HelpdeskEvent } | { ok: false; problems: string[] } {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return { ok: false, problems: envelope.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`) };
  const e = envelope.data;
  // Our own source may only send our own detail-types, and the helpdesk only theirs (the config keeps the two apart).
  const own = e.source === sources.own;
  if (!own && e.source !== sources.helpdesk) return { ok: false, problems: [`source: expected ${sources.helpdesk}, got ${e.source.slice(0, 100)}`] };
  const details: Record<string, Details[AnyDetailType]> = own ? OWN_DETAILS : HELPDESK_DETAILS;
  const type = e['detail-type'];
  if (!Object.hasOwn(details, type)) return { ok: false, problems: [`detail-type: unknown ${type.slice(0, 100)}; expected one of ${Object.keys(details).join(', ')}`] };
  // A helpdesk may name the event itself (detail.eventId): then sending it again, in a new PutEvents
  // with a new EventBridge id, still applies it once.
  let body = e.detail;
  let id = e.id;
  if (!own && typeof body === 'object' && body !== null && Object.hasOwn(body, 'eventId')) {
    const { eventId, ...rest } = body as { eventId: unknown };
    if (typeof eventId !== 'string' || !HELPDESK_EVENT_ID.test(eventId)) return { ok: false, problems: ['detail.eventId: expected 1 to 128 letters, digits, dots, colons, dashes or underscores'] };
    body = rest;
    id = `helpdesk:${eventId}`;
  }
  const detail = details[type]!.safeParse(body);
  if (!detail.success) return { ok: false, problems: detail.error.issues.slice(0, 5).map((i) => `detail.${i.path.join('.') || '(root)'}: ${i.message}`) };
  return { ok: true, event: { id, type, detail: detail.data, ...(e.time && !Number.isNaN(Date.parse(e.time)) ? { time: e.time } : {}) } as HelpdeskEvent };
}

/**
 * The bus rules that route events to the helpdesk-events function: one per source. The deployed
 * stack (infra) and the local stack's bus are both built from this list.
 */
export function helpdeskEventRules(config: { HelpdeskEventSource: string; EventSource: string }): { name: string; source: string[]; detailType?: string[] }[] {
  return [
    // Every detail-type of the helpdesk's source: an unknown one arrives, is counted as malformed and
    // lands in the failure queue, where an integrator sees it (a pattern would drop it silently).
    { name: 'helpdesk-events', source: [config.HelpdeskEventSource] },
    { name: 'self-service-requests', source: [config.EventSource], detailType: Object.keys(OWN_DETAILS) },
  ];
}
