/**
 * Rules about inbound mail that need no I/O: sender normalisation, loop detection,
 * ticket references. Everything here treats header values as hostile input.
 */
const MAX_ADDRESS_LENGTH = 254;
// Pragmatic RFC 5321 shape: no spaces, quotes or angle brackets; a dotted domain or localhost.
const ADDRESS_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:localhost|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/;
const AUTOMATED_LOCAL_PARTS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.-].*)?$/;
const TICKET_IN_SUBJECT = /\[Ticket#(\d{8,20})\]/i;
const MESSAGE_ID = /<([^<>\s]{1,250})>/g;
const REPLY_PREFIX = /^\s*((re|aw|fw|fwd|wg|sv|antw)(\[\d+\])?\s*:\s*)+/i;

/** Lower-cases and validates an address; undefined when it is not a usable mailbox. */
export function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const candidate = address.trim().toLowerCase();
  if (candidate.length > MAX_ADDRESS_LENGTH || !ADDRESS_PATTERN.test(candidate)) return undefined;
  if (candidate.split('@')[0]?.split('.').some((part) => part === '')) return undefined;
  return candidate;
}

/** Senders that are machines (bounces, no-reply) or ourselves: never customers, never answered. */
export function isAutomatedSender(address: string, ownAddresses: readonly string[]): boolean {
  const local = address.split('@')[0] ?? '';
  return ownAddresses.includes(address) || AUTOMATED_LOCAL_PARTS.test(local);
}

export interface LoopHeaders {
  autoSubmitted?: string;
  precedence?: string;
  listId?: string;
  autoResponseSuppress?: string;
}

/** Why we must not answer this mail automatically (RFC 3834 and common practice), if at all. */
export function loopReason(h: LoopHeaders): string | undefined {
  const autoSubmitted = h.autoSubmitted?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `auto-submitted:${autoSubmitted.slice(0, 40)}`;
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `precedence:${precedence}`;
  if (h.listId) return 'list-id';
  const suppress = h.autoResponseSuppress?.toLowerCase() ?? '';
  if (/\b(all|autoreply|oof)\b/.test(suppress)) return 'x-auto-response-suppress';
  return undefined;
}

export function ticketNumberFromSubject(subject: string): string | undefined {
  return TICKET_IN_SUBJECT.exec(subject)?.[1];
}

/** Message-IDs inside a header value, lower-cased, without angle brackets, in order. */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(MESSAGE_ID)].map((m) => (m[1] ?? '').toLowerCase());
}

/** Control characters (terminal escapes, bidi overrides) have no business in a stored subject line. */
export function withoutControls(value: string): string {
  return value.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, ' ');
}

/** A ticket title from a subject: reply prefixes and our ticket tag removed, length bounded. */
export function titleFromSubject(subject: string): string {
  const title = withoutControls(subject).replace(TICKET_IN_SUBJECT, '').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim();
  return (title || '(no subject)').slice(0, 200);
}

/** OTOBO-style readable number: YYYYMMDD + a counter of that UTC day, at least 6 digits. */
export function formatTicketNumber(now: Date, counter: number): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}${String(counter).padStart(6, '0')}`;
}

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
