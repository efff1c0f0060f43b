/**
 * The events this system publishes for the helpdesk on its bus (`source` = EventSource), as a
 * subscriber receives their detail: built by shared/use-cases/publish-events.ts, put on the bus by
 * shared/adapters/eventbridge/event-publisher.ts, which adds `eventId` (the same on every
 * re-publishing: drop the duplicates an at-least-once outbox produces) and `at` to each detail.
 * The integration suites parse every event they see published with these schemas, and
 * shared/events/json-schemas.ts turns them into the JSON Schemas under schemas/.
 *
 * | detail-type     | detail |
 * |-----------------|--------|
 * | TicketCreated   | { eventId, at, ticketNumber, title, state, customer: { login, email, language }, article } |
 * | CustomerReplied | { eventId, at, ticketNumber, title, customer: { login, email }, article } |
 * | TicketReopened  | { eventId, at, ticketNumber, customerLogin, reopenedBy: mail|portal|helpdesk } |
 *
 * article = { channel: mail|portal|helpdesk, from, subject, text, textTruncated, attachments (file names), files: [{ name, size, type, key? }], createdAt }
 */
import * as z from 'zod/mini';
import '../zod.js';
import { LANGUAGES } from '../config.js';
import { ARTICLE_CHANNELS, TICKET_STATES } from '../domain/model.js';
import { ticketNumber } from './helpdesk.js';

const time = z.iso.datetime({ offset: true });
const channel = z.enum(ARTICLE_CHANNELS);
const published = { eventId: z.string().check(z.minLength(1), z.maxLength(128)), at: time, ticketNumber };
const login = z.string().check(z.minLength(1));

const article = z.strictObject({
  channel,
  from: z.string(),
  subject: z.string(),
  /** Cut at 60 000 characters (EVENT_TEXT_MAX_CHARS in publish-events.ts: EventBridge takes 256 KB an entry). */
  text: z.string().check(z.maxLength(60_000)),
  textTruncated: z.boolean(),
  /** The file names (as before `files` came): kept for subscribers that read them. */
  attachments: z.array(z.string()),
  /**
   * Each file with its size and type and, where its bytes are kept apart, `key`: the object in the
   * raw-mail bucket (stack output RawMailBucketName) the helpdesk reads with s3:GetObject
   * (infra/README.md, "The helpdesk's files"). No key: only the raw mail holds the bytes.
   */
  files: z.array(z.strictObject({ name: z.string(), size: z.number(), type: z.string(), key: z.optional(z.string()) })),
  createdAt: time,
});

export const PUBLISHED_DETAILS = {
  TicketCreated: z.strictObject({
    ...published,
    title: z.string(),
    state: z.enum(TICKET_STATES),
    customer: z.strictObject({ login, email: z.string(), language: z.enum(LANGUAGES) }),
    article,
  }),
  CustomerReplied: z.strictObject({
    ...published,
    title: z.string(),
    customer: z.strictObject({ login, email: z.string() }),
    article,
  }),
  TicketReopened: z.strictObject({ ...published, customerLogin: login, reopenedBy: channel }),
} as const;

export type PublishedDetailType = keyof typeof PUBLISHED_DETAILS;

/** What keeps a detail seen on the bus from its published shape, as `path: message` lines; none when it has it. */
export function publishedDetailProblems(type: string, detail: unknown): string[] {
  if (!Object.hasOwn(PUBLISHED_DETAILS, type)) return [`detail-type: ${type} is not one this system publishes`];
  const parsed = PUBLISHED_DETAILS[type as PublishedDetailType].safeParse(detail);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(detail)'}: ${i.message}`);
}
