/**
 * The access trail (docs/links-and-portal.md, "The access trail"): every link minted, mailed, opened,
 * spent or refused, every refresh and sign-out, recorded per ticket — never a token, a session id
 * or a full IP address.
 *
 * An entry is a tagged union on `event`. TRAIL_DETAILS is the one list of events, and says which
 * of them carry a `detail` and from which list of values; the types, the table mapper and the
 * page texts all derive from it, so a new event or detail value is one edit here and a type
 * error wherever it still needs words.
 */
import { CLIENT_KINDS, CUSTOMER_MESSAGE_KEYS, SELF_SERVICE_OUTCOMES, TOKEN_PURPOSES, type ClientKind, type ClientRef } from './model.js';

/**
 * Why a link was refused: the outcome's message key, too many attempts, or `code-offered` — the
 * link was spent, its mail's code is unused, and the page asked for the code.
 */
export const REFUSAL_REASONS = [...CUSTOMER_MESSAGE_KEYS, 'rate-limited', 'code-offered'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Why a sign-in code opened nothing: a wrong (or used, or superseded) code, or the ticket's attempts used up. */
export const CODE_REFUSALS = ['wrong-code', 'too-many-attempts'] as const;
export type CodeRefusal = (typeof CODE_REFUSALS)[number];

const NONE = [] as const;

/** Every event, with the values its `detail` takes (none for most). */
export const TRAIL_DETAILS = {
  'link-minted': TOKEN_PURPOSES,
  'link-mailed': NONE,
  'link-opened': NONE,
  'link-used': NONE,
  'link-refused': REFUSAL_REASONS,
  'code-used': NONE,
  'code-refused': CODE_REFUSALS,
  'refresh-mailed': NONE,
  'self-service-requested': SELF_SERVICE_OUTCOMES,
  'signed-out': NONE,
  'session-expired': NONE,
} as const;

export type TrailEvent = keyof typeof TRAIL_DETAILS;
export const TRAIL_EVENTS = Object.keys(TRAIL_DETAILS) as TrailEvent[];

/** The detail an event carries: a purpose, a refusal reason, a self-service outcome, or never. */
export type TrailDetail<E extends TrailEvent = TrailEvent> = (typeof TRAIL_DETAILS)[E][number];

interface TrailCommon {
  ticketNumber: string;
  /** When it happened; for a counted entry, the first time in its interval. */
  at: string;
  /** Coarse client hint: browser family and the address truncated to /24 or /48. */
  client?: string;
  /** A mail security scanner or a headless browser by its own User-Agent: the page words the entry as such. */
  clientKind?: ClientKind;
  /** Never stored: part of the entry's id, so that two requests' identical entries stay two (see ClientRef). */
  requestId?: string;
  /** A counted entry (repeated opens or refusals of one link in one interval, OPEN_INTERVAL_MINUTES): how many times… */
  count?: number;
  /** …the last time… */
  lastAt?: string;
  /** …and from where the last time (`client` is the first). */
  lastClient?: string;
}

/**
 * What a use case records: the event, with its detail wherever the event has one. On reading, a
 * detail this version does not know (written by a newer one) is left out: TrailEntry below.
 */
export type TrailFact = { [E in TrailEvent]: [TrailDetail<E>] extends [never] ? { event: E } : { event: E; detail: TrailDetail<E> } }[TrailEvent];

/** The tagged part of an entry: its event, and the detail if the event has one and it is known. */
export type TrailKind = { [E in TrailEvent]: { event: E; detail?: TrailDetail<E> } }[TrailEvent];

/** One access decision on a ticket, as recorded and as read back. */
export type TrailEntry = TrailCommon & TrailKind;

/** The one way every use case builds an entry. */
export function trailEntry(ticketNumber: string, at: string, fact: TrailFact, client?: ClientRef): TrailEntry {
  return {
    ticketNumber,
    at,
    ...fact,
    ...(client?.hint ? { client: client.hint } : {}),
    ...(client?.kind ? { clientKind: client.kind } : {}),
    ...(client?.requestId ? { requestId: client.requestId } : {}),
  };
}

/** An entry as it was stored, by this version or another: `detail` is any text or none. */
export interface StoredTrailEntry {
  ticketNumber: string;
  at: string;
  event: TrailEvent;
  detail?: string;
  client?: string;
  clientKind?: string;
  count?: number;
  lastAt?: string;
  lastClient?: string;
}

/**
 * What one link (or one ticket's codes) keeps doing is recorded once per interval (a clock hour,
 * UTC) and counted, not entry by entry: opens of a link — by a scanner, a script, or a person
 * reloading — and refusals of one link, or of codes for the ticket, for one reason (a scanner that
 * presses a spent link's button again and again, someone guessing codes). Counted entries are kept
 * apart from the decisions (sign-ins, sign-outs, self-service requests…), so no number of them
 * pushes a sign-in off the page: a ticket gains at most one entry per link, reason and client kind
 * an hour however often it is hit.
 */
export const OPEN_INTERVAL_MINUTES = 60;

/** The start of the interval `at` falls in. */
export function openInterval(at: Date): string {
  const ms = OPEN_INTERVAL_MINUTES * 60_000;
  return new Date(Math.floor(at.getTime() / ms) * ms).toISOString();
}

/** The events counted per interval rather than recorded one by one, with their detail. */
export type CountedFact = Extract<TrailFact, { event: 'link-opened' | 'link-refused' | 'code-refused' }>;

/** Repeats of one fact about one link (or the ticket's codes) in one interval, to be added to that interval's counted entry. */
export type Repeats = CountedFact & {
  ticketNumber: string;
  /** What the repeats are of, never revealing it: a prefix of a link's token hash, or `code` for the ticket's codes. */
  link: string;
  interval: string;
  at: string;
  count: number;
  client?: string;
  /** A client that said what it is is counted apart from a person's: the page words it as such. */
  clientKind?: ClientKind;
};

/** One more of a counted fact, by a client, at `now`: to be added to its interval's entry. */
export function repeatOf(fact: CountedFact, ticketNumber: string, link: string, now: Date, client?: ClientRef): Repeats {
  return {
    ...fact,
    ticketNumber,
    link,
    interval: openInterval(now),
    at: now.toISOString(),
    count: 1,
    ...(client?.hint ? { client: client.hint } : {}),
    ...(client?.kind ? { clientKind: client.kind } : {}),
  };
}

/** A link named on the trail by a prefix of its token's hash: enough to keep links apart, nothing to open one with. */
export const linkName = (tokenHash: string): string => tokenHash.slice(0, 12);

/** The counted entry's name within its interval: one per link, event, detail and client kind. */
export function repeatsName(r: Repeats): string {
  // Opens of a link are named by the link alone (as they were before refusals were counted too).
  const fact = r.event === 'link-opened' ? [] : [r.event, r.detail];
  return [r.link, ...fact, ...(r.clientKind ? [r.clientKind] : [])].join('#');
}

/**
 * Reads a stored entry into the union. A detail outside its event's list is dropped rather than
 * refused, so one unknown value never hides a ticket's trail; the entry then reads as its event.
 */
export function readTrailEntry({ detail, clientKind, ...stored }: StoredTrailEntry): TrailEntry {
  const known = (TRAIL_DETAILS[stored.event] as readonly string[]).includes(detail ?? '');
  const kind = (CLIENT_KINDS as readonly string[]).includes(clientKind ?? '') ? { clientKind: clientKind as ClientKind } : {};
  return { ...stored, ...(known ? { detail } : {}), ...kind } as TrailEntry;
}
