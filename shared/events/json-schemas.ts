/**
 * JSON Schema (draft 4, one of the two formats EventBridge's schema registry takes) of every event
 * on the project's bus, generated from the zod schemas that validate them, so the two cannot
 * differ. One document per detail-type, shaped like the registry's own: the whole EventBridge
 * event, its detail under `definitions`, and the `x-amazon-events-source` / `-detail-type` keys
 * that code bindings are generated from.
 *
 * Both the committed files under schemas/ (`npm run schemas`, with the default sources) and the
 * registry the stateless stack creates (with the configured ones) come from eventSchemas().
 * Functions never import this module: it is for integrators, not for cold starts.
 */
import * as z from 'zod/mini';
import { HELPDESK_DETAILS, HELPDESK_EVENT_ID, OWN_DETAILS } from './helpdesk.js';
import { PUBLISHED_DETAILS } from './published.js';

export interface EventSchema {
  readonly detailType: string;
  readonly source: string;
  /** in: the helpdesk sends it; out: the helpdesk hears it; own: the portal hands it to the helpdesk-events function. */
  readonly direction: 'in' | 'out' | 'own';
  /** `<source>@<detail-type>`, as the registry names the schemas it discovers. */
  readonly schemaName: string;
  /** File under schemas/. */
  readonly fileName: string;
  readonly document: Record<string, unknown>;
}

/** The two sources of config (EventSource, HelpdeskEventSource). */
export interface EventSources {
  readonly own: string;
  readonly helpdesk: string;
}

const DESCRIPTIONS = {
  TicketStateChanged: 'The helpdesk changed a ticket\'s state; mergedInto is required with state "merged" and allowed only then.',
  AgentReplied: 'An agent answered: the text becomes an article and the customer is mailed it with a fresh link.',
  CustomerStatusChanged: 'A customer was disabled (every link and session of theirs ends at once) or enabled again.',
  LinkRequested: 'Mail the ticket\'s customer a fresh link.',
  SelfServiceLinkRequested: 'The portal hands a self-service link request to the helpdesk-events function (this system to itself).',
  TicketCreated: 'A mail opened a new ticket.',
  CustomerReplied: 'The customer added an article, by mail or in the portal.',
  TicketReopened: 'A closed ticket was reopened by the customer\'s reply (mail or portal) or by the helpdesk.',
} as const satisfies Record<string, string>;

/** A helpdesk may name an event itself (detail.eventId), which shared/events/helpdesk.ts reads before the detail. */
const helpdeskEventId = { eventId: z.optional(z.string().check(z.regex(HELPDESK_EVENT_ID))) };

export function eventSchemas(sources: EventSources): EventSchema[] {
  const entries: [EventSchema['direction'], string, Record<string, z.ZodMiniType>][] = [
    ['in', sources.helpdesk, Object.fromEntries(Object.entries(HELPDESK_DETAILS).map(([type, detail]) => [type, z.safeExtend(detail, helpdeskEventId)]))],
    ['own', sources.own, OWN_DETAILS],
    ['out', sources.own, PUBLISHED_DETAILS],
  ];
  return entries.flatMap(([direction, source, details]) =>
    Object.entries(details).map(([detailType, detail]) => ({
      detailType,
      source,
      direction,
      schemaName: `${source}@${detailType}`,
      fileName: `${detailType}.json`,
      document: eventDocument(detailType, source, DESCRIPTIONS[detailType as keyof typeof DESCRIPTIONS], detail),
    })),
  );
}

/** The whole event as EventBridge delivers it, with this detail-type's detail. */
function eventDocument(detailType: string, source: string, description: string, detail: z.ZodMiniType): Record<string, unknown> {
  const { $schema, ...detailSchema } = z.toJSONSchema(detail, { target: 'draft-04' });
  const string = { type: 'string' };
  return {
    $schema,
    title: detailType,
    description,
    type: 'object',
    'x-amazon-events-source': source,
    'x-amazon-events-detail-type': detailType,
    required: ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'],
    properties: {
      version: string,
      id: string,
      'detail-type': { type: 'string', enum: [detailType] },
      source: { type: 'string', enum: [source] },
      account: string,
      time: { type: 'string', format: 'date-time' },
      region: string,
      resources: { type: 'array', items: string },
      detail: { $ref: `#/definitions/${detailType}` },
    },
    definitions: { [detailType]: detailSchema },
  };
}

/** A document as the committed file holds it. */
export function schemaFileText(schema: EventSchema): string {
  return `${JSON.stringify(schema.document, null, 2)}\n`;
}
