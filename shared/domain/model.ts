/**
 * The domain's records, independent of how they are stored. Times are ISO-8601 strings (UTC).
 * A closed set of values is one `as const` list here and its type is derived from it, so the
 * table mappers, the config schema and the page texts check against the same list. Every record
 * is in this one file (some 240 lines) so their shapes read side by side; the access trail's
 * vocabulary is in trail.ts, the sign-in codes' rules in codes.ts.
 */
import type { Language } from '../config.js';

export const TICKET_STATES = ['new', 'open', 'pending', 'closed', 'merged', 'removed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
/** States in which a ticket counts as closed for AccessDaysAfterClose and the sweep. */
export const CLOSED_STATES: readonly TicketState[] = ['closed', 'merged', 'removed'];
/** States whose links never open anything again: the ticket lives on elsewhere, or not at all. */
export const GONE_STATES: readonly TicketState[] = ['merged', 'removed'];

export interface Customer {
  /** login = customer id = email, lower-cased (the add-on's convention). */
  login: string;
  customerId: string;
  email: string;
  language: Language;
  /** The language was declared by their mail (Content-Language), not defaulted: it then beats a browser's. */
  languageDeclared?: boolean;
  disabled: boolean;
  /** Where the customer came from: an inbound mail or an operator. */
  source: CustomerSource;
  /** The display name of their first mail's From (portal replies show it as mail articles do); none for one made by ops. */
  name?: string;
  failedLogins: number;
  createdAt: string;
}

export const CUSTOMER_SOURCES = ['mail', 'ops'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/** Why a link was minted. */
export const TOKEN_PURPOSES = ['auto-reply', 'agent-reply', 'refresh', 'self-service', 'ops'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** The one token that may open a ticket (docs/data-model.md), kept on the ticket item: moving it supersedes all older ones. */
export interface ActiveToken {
  hash: string;
  purpose: TokenPurpose;
  createdAt: string;
  /** Minting time + TokenMaxAgeDays, brought forward to closedAt + AccessDaysAfterClose while the ticket is closed. */
  expiresAt: string;
}

/**
 * The sign-in code of the same mail as the active token (docs/data-model.md, "The active token"):
 * moved with the token pointer, so a newer mail supersedes both, but spent on its own, so a link a
 * scanner spent leaves the code to the person.
 */
export interface ActiveCode {
  /** HMAC-SHA-256 of ticket number and code, keyed outside the table (domain/codes.ts). */
  hash: string;
  /** The token of the same mail: tells "this link's code is still unused" from the ticket alone. */
  tokenHash: string;
  createdAt: string;
  /** As its token's at minting: minted + TokenMaxAgeDays, or the ticket's window when minted while closed. */
  expiresAt: string;
}

export interface Ticket {
  number: string;
  customerLogin: string;
  title: string;
  state: TicketState;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Set when state is merged: the ticket that lives on. */
  mergedInto?: string;
  activeToken?: ActiveToken;
  /** The code mailed with the active token (or with the last one, once that link was spent). */
  activeCode?: ActiveCode;
  /** Hashes of tokens that were spent on this ticket (a redeem adds to it in the same write that removes the pointer). */
  spentTokens?: string[];
  /** The most recent spend: which token, and when. */
  lastSpentHash?: string;
  lastSpentAt?: string;
  /** SHA-256 of the landing page's nonce that spent it: the same browser's second click starts a session too. */
  lastSpentNonce?: string;
  /** Last time a fresh link was minted for a refresh or self-service request (RefreshMinIntervalMinutes). */
  refreshedAt?: string;
  /** The customer is disabled: the ticket's links open nothing (set and cleared by customer disable/enable). */
  customerDisabled?: boolean;
  /**
   * The eventId of a TicketReopened a portal reply owes the helpdesk: set in the reopen's own write,
   * cleared once the event is in the outbox, so a reply whose article write failed still sends it.
   */
  pendingReopenEvent?: string;
  /** Marks tickets of customers created automatically (the add-on's SetCheckBoxName). */
  autoCreatedCustomer: boolean;
  /** The customer's language, kept on the ticket so a redeem answers in it without reading the customer. */
  language?: Language;
  /** The language was declared by the mail that made the customer; otherwise a browser's language wins. */
  languageDeclared?: boolean;
  /** Message-IDs that thread mail about this ticket: the first inbound and the latest inbound one. */
  firstMessageId?: string;
  lastMessageId?: string;
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
  /**
   * Where the bytes are: an object key in the raw-mail bucket (FILE_PREFIXES, shared/domain/files.ts).
   * Absent for a file whose bytes were never kept apart (an article written before files were).
   */
  key?: string;
}

export const ARTICLE_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ArticleDirection = (typeof ARTICLE_DIRECTIONS)[number];
export const ARTICLE_CHANNELS = ['mail', 'portal', 'helpdesk'] as const;
export type ArticleChannel = (typeof ARTICLE_CHANNELS)[number];

/**
 * How much of an article's text a page lists: the whole text of a longer one is stored apart and
 * read only when asked for (docs/data-model.md), so a ticket page reads previews whatever it holds.
 */
export const ARTICLE_PREVIEW_CHARS = 2_000;

export interface Article {
  ticketNumber: string;
  /** Sortable id: <createdAt>#<random or derived>; unique within the ticket. */
  articleId: string;
  direction: ArticleDirection;
  /** Where it came from: a mail, the portal, or the helpdesk (an agent reply). */
  channel?: ArticleChannel;
  fromAddress: string;
  fromName: string;
  subject: string;
  text: string;
  textTruncated: boolean;
  attachments: AttachmentInfo[];
  /** Attachments beyond the listed ones (counted, not listed: item size is bounded). */
  attachmentsOmitted?: number;
  /** S3 key of the raw MIME for inbound mail. */
  rawMailKey?: string;
  /** RFC 5322 Message-ID, angle brackets stripped, lower-cased. */
  messageId?: string;
  createdAt: string;
}

/** An article as a page lists it: with `textCut`, `text` is its first ARTICLE_PREVIEW_CHARS characters. */
export type ArticlePreview = Article & { textCut?: boolean };

/**
 * A token item exists once the mail carrying it was accepted by the provider (`sentAt`): a token
 * minted but never mailed is only the ticket's pointer, so it can never block a refresh.
 */
export interface TokenRecord {
  /** SHA-256 of the raw token, base64url. The raw token is never stored. */
  hash: string;
  ticketNumber: string;
  customerLogin: string;
  purpose: TokenPurpose;
  createdAt: string;
  expiresAt: string;
  sentAt: string;
}

/** What happened to one inbound mail; see docs/data-model.md for the key. */
export const DELIVERY_STATUSES = [
  'dropped', // virus
  'rejected', // spam / DMARC / SPF / DKIM verdict
  'ignored', // automated sender, report, invalid sender, malformed mail, duplicate
  'processing', // claimed by an invocation until leaseUntil
  'recorded', // article stored, no reply meant (loop, cap, disabled customer)
  'reply-pending', // article stored, reply not yet confirmed sent: a retry resumes here
  'replied',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  /** Dedup key: the same mail (same SES id, or same sender and Message-ID) always has the same key. */
  key: string;
  /** SES messageId of the first copy that claimed it. */
  deliveryId: string;
  status: DeliveryStatus;
  reason?: string;
  sender?: string;
  customerLogin?: string;
  ticketNumber?: string;
  /** The ticket number was allocated for this delivery (not a follow-up). */
  newTicket?: boolean;
  leaseUntil?: string;
  providerMessageId?: string;
  rawMailKey: string;
  /** Message-ID of the inbound mail, to thread the auto-reply. */
  inboundMessageId?: string;
  references?: string[];
  receivedAt: string;
  repliedAt?: string;
  /** SES ids of further copies of the same mail (one mail to two of our addresses). */
  copies?: string[];
}

export const SESSION_SCOPES = ['customer', 'ticket'] as const;
export type SessionScope = (typeof SESSION_SCOPES)[number];

/** A portal session; stored under the hash of its id, never the id itself. */
export interface Session {
  idHash: string;
  customerLogin: string;
  /** The ticket whose link started the session; with scope 'ticket' the only one it opens. */
  ticketNumber: string;
  scope: SessionScope;
  language: Language;
  createdAt: string;
  lastSeenAt: string;
  /** createdAt + SessionAbsoluteHours. */
  absoluteExpiresAt: string;
}

/** The access trail's entries are a tagged union of their own: shared/domain/trail.ts. */
export type { TrailEntry, TrailEvent } from './trail.js';

/**
 * Why a link opened nothing, named by the add-on's message keys: each is also the configuration
 * key of the text the customer reads (docs/links-and-portal.md).
 */
export const CUSTOMER_MESSAGE_KEYS = ['CustomerErrorMessageLinkExpired', 'CustomerErrorMessageWrongLink', 'CustomerErrorMessageNewLink', 'CustomerErrorMessageRefreshFailed'] as const;
export type CustomerMessageKey = (typeof CUSTOMER_MESSAGE_KEYS)[number];

/** What came of a self-service request for a new link (shared/use-cases/request-link.ts). */
export const SELF_SERVICE_OUTCOMES = ['link-mailed', 'no-match', 'not-accessible', 'rate-limited', 'mail-failed'] as const;
export type SelfServiceOutcome = (typeof SELF_SERVICE_OUTCOMES)[number];

/** Clients that say what they are (User-Agent) and are not a person: worded as such on the trail. */
export const CLIENT_KINDS = ['mail-scanner', 'headless-browser'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Who made a request, as far as the trail may know it. */
export interface ClientRef {
  /** Coarse: browser family and the address truncated to /24 or /48. */
  hint?: string;
  /** A mail security scanner or a headless browser, by its own User-Agent; absent for anything else. */
  kind?: ClientKind;
  /**
   * The request's id (API Gateway's): never stored. Thirty clicks in one millisecond from one
   * network are thirty entries, while a retried write of one request's entry stays one.
   */
  requestId?: string;
}

/** Events the system publishes for a helpdesk (docs/events.md). */
export type OutboundEventType = 'TicketCreated' | 'CustomerReplied' | 'TicketReopened' | 'SelfServiceLinkRequested';

export interface OutboundEvent {
  /** Stable across re-publishing, so subscribers can drop duplicates. */
  eventId: string;
  type: OutboundEventType;
  at: string;
  detail: Record<string, unknown>;
}
