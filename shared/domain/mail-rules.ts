/**
 * Rules about inbound mail that need no I/O: sender normalisation, loop detection,
 * ticket references. Everything here treats header values as hostile input.
 */
import { domainToASCII } from 'node:url';

const MAX_ADDRESS_LENGTH = 254;
// Pragmatic RFC 5321 shape: no spaces, quotes or angle brackets; a dotted domain or localhost.
// The top-level label may be an IDNA one (xn--…), as internationalised TLDs are on the wire.
const ADDRESS_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:localhost|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}))$/;
const ASCII = /^[\x21-\x7e]*$/;
const AUTOMATED_LOCAL_PARTS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.-].*)?$/;
const TICKET_IN_SUBJECT = /\[Ticket#(\d{8,20})\]/i;
const MESSAGE_ID = /<([^<>\s]{1,250})>/g;
const REPLY_PREFIX = /^\s*((re|aw|fw|fwd|wg|sv|antw)(\[\d+\])?\s*:\s*)+/i;

export type SenderCheck = { address: string } | { reason: 'from-invalid' | 'from-local-part-not-ascii' };

/**
 * Lower-cases and validates a sender. A UTF-8 domain becomes its IDNA (xn--) form, which is what
 * SES sends to and what the customer's login is stored as; a UTF-8 local part (RFC 6531) cannot
 * be answered through SES, so it is refused with its own reason rather than as "invalid".
 */
export function checkSender(address: string | undefined): SenderCheck {
  const candidate = (address ?? '').trim().toLowerCase();
  const at = candidate.lastIndexOf('@');
  if (at <= 0) return { reason: 'from-invalid' };
  const local = candidate.slice(0, at);
  let domain = candidate.slice(at + 1);
  if (!ASCII.test(local) && /^[^\s@"<>]+$/u.test(local)) return { reason: 'from-local-part-not-ascii' };
  if (!ASCII.test(domain)) domain = domainToASCII(domain);
  const normalized = `${local}@${domain}`;
  if (!domain || normalized.length > MAX_ADDRESS_LENGTH || !ADDRESS_PATTERN.test(normalized)) return { reason: 'from-invalid' };
  if (local.split('.').some((part) => part === '')) return { reason: 'from-invalid' };
  return { address: normalized };
}

/** Lower-cases and validates an address; undefined when it is not a usable mailbox. */
export function normalizeAddress(address: string | undefined): string | undefined {
  const checked = checkSender(address);
  return 'address' in checked ? checked.address : undefined;
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
  /** RFC 2369 / 8058: mailing lists and bulk senders carry it. */
  listUnsubscribe?: string;
  autoResponseSuppress?: string;
}

/** Why we must not answer this mail automatically (RFC 3834 and common practice), if at all. */
export function loopReason(h: LoopHeaders): string | undefined {
  const autoSubmitted = h.autoSubmitted?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `auto-submitted:${autoSubmitted.slice(0, 40)}`;
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `precedence:${precedence}`;
  if (h.listId) return 'list-id';
  if (h.listUnsubscribe) return 'list-unsubscribe';
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

/**
 * Control characters have no business in a stored subject line: terminal escapes, bidi marks and
 * overrides (U+061C, U+200E/F, U+202A–E, U+2066–9) and the line and paragraph separators
 * (U+2028/9) that some renderers treat as line breaks.
 */
export const UNSAFE_TEXT_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

export function withoutControls(value: string): string {
  return value.replace(UNSAFE_TEXT_CHARACTERS, ' ');
}

// UNSAFE_TEXT_CHARACTERS without the line feed and the tab, which a text of several lines keeps.
const UNSAFE_IN_LINES = /(?:[^\P{Cc}\t\n]|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])+/gu;

/**
 * A text of several lines (a portal reply) loses what a subject loses — NUL, terminal escapes, DEL,
 * bidi marks and overrides — but keeps its line breaks: CR LF and CR become LF, and the line and
 * paragraph separators (U+2028/9) become LF too, as a reader would take them.
 */
export function textWithoutControls(value: string): string {
  return value.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(UNSAFE_IN_LINES, ' ');
}

/**
 * A file name as a browser or a helpdesk may have sent it, cut to its last path segment (`C:\\x\\a.pdf`,
 * `../../a.pdf` → `a.pdf`), without control or bidi characters (`invoice\u202Efdp.exe` would read as
 * `invoiceexe.pdf`), at most `max` characters; `(unnamed)` when nothing is left.
 */
export function cleanFileName(value: string, max = 255): string {
  const last = value.split(/[\\/]/).at(-1) ?? '';
  const clean = withoutControls(last).replace(/\s+/g, ' ').trim().replace(/^\.+$/, '');
  const chars = [...clean];
  return (chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean) || '(unnamed)';
}

/**
 * Machine-made mail that must never be answered and whose sender never becomes a customer:
 * reports (RFC 6522: bounces, read receipts, abuse reports, whatever their From says) and mail
 * with a null reverse-path (RFC 5321: `MAIL FROM:<>`, used by every bounce). Replying to them is
 * backscatter, which gets an SES account suspended.
 */
export function backscatterReason(m: { reportType?: string; envelopeSender?: string; returnPath?: string }): string | undefined {
  if (m.reportType) return `report:${m.reportType.slice(0, 40)}`;
  const nullPath = (v: string | undefined) => v !== undefined && v.replace(/[<>\s]/g, '') === '';
  if (nullPath(m.envelopeSender) || nullPath(m.returnPath)) return 'null-reverse-path';
  return undefined;
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
