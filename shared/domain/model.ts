/** The domain's records, independent of how they are stored. Times are ISO-8601 strings (UTC). */
import type { Language } from '../config.js';

export type TicketState = 'new' | 'open' | 'pending' | 'closed' | 'merged' | 'removed';
export const TICKET_STATES: readonly TicketState[] = ['new', 'open', 'pending', 'closed', 'merged', 'removed'];
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
  disabled: boolean;
  /** Where the customer came from: an inbound mail or an operator. */
  source: 'mail' | 'ops';
  failedLogins: number;
  createdAt: string;
}

export type TokenPurpose = 'auto-reply' | 'agent-reply' | 'refresh' | 'self-service' | 'ops';

/** The one token that may open a ticket (§3.2), kept on the ticket item: moving it supersedes all older ones. */
export interface ActiveToken {
  hash: string;
  purpose: TokenPurpose;
  createdAt: string;
  /** Minting time + TokenMaxAgeDays, brought forward to closedAt + AccessDaysAfterClose while the ticket is closed. */
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
  /** Hashes of tokens that were spent on this ticket (a redeem adds to it in the same write that removes the pointer). */
  spentTokens?: string[];
  /** The most recent spend: which token, and when. */
  lastSpentHash?: string;
  lastSpentAt?: string;
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
  /** Message-IDs that thread mail about this ticket: the first inbound and the latest inbound one. */
  firstMessageId?: string;
  lastMessageId?: string;
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
}

export interface Article {
  ticketNumber: string;
  /** Sortable id: <createdAt>#<random or derived>; unique within the ticket. */
  articleId: string;
  direction: 'inbound' | 'outbound';
  /** Where it came from: a mail, the portal, or the helpdesk (an agent reply). */
  channel?: 'mail' | 'portal' | 'helpdesk';
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
export type DeliveryStatus =
  | 'dropped' // virus
  | 'rejected' // spam / DMARC / SPF / DKIM verdict
  | 'ignored' // automated sender, report, invalid sender, malformed mail, duplicate
  | 'processing' // claimed by an invocation until leaseUntil
  | 'recorded' // article stored, no reply meant (loop, cap, disabled customer)
  | 'reply-pending' // article stored, reply not yet confirmed sent: a retry resumes here
  | 'replied';

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

export type SessionScope = 'customer' | 'ticket';

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

export type TrailEvent =
  | 'link-minted'
  | 'link-mailed'
  | 'link-opened'
  | 'link-used'
  | 'link-refused'
  | 'refresh-mailed'
  | 'self-service-requested'
  | 'signed-out'
  | 'session-expired';

/** One access decision on a ticket (§3.7): never a token, a session id or a full IP address. */
export interface TrailEntry {
  ticketNumber: string;
  at: string;
  event: TrailEvent;
  /** Purpose of a minted link, or the outcome of a refusal. */
  detail?: string;
  /** Coarse client hint: browser family and the address truncated to /24 or /48. */
  client?: string;
  /** Never stored: part of the entry's id, so that two requests' identical entries stay two (see ClientRef). */
  requestId?: string;
}

/** Who made a request, as far as the trail may know it. */
export interface ClientRef {
  /** Coarse: browser family and the address truncated to /24 or /48. */
  hint?: string;
  /**
   * The request's id (API Gateway's): never stored. Thirty clicks in one millisecond from one
   * network are thirty entries, while a retried write of one request's entry stays one.
   */
  requestId?: string;
}

/** Events the system publishes for a helpdesk (§3.5). */
export type OutboundEventType = 'TicketCreated' | 'CustomerReplied' | 'TicketReopened' | 'SelfServiceLinkRequested';

export interface OutboundEvent {
  /** Stable across re-publishing, so subscribers can drop duplicates. */
  eventId: string;
  type: OutboundEventType;
  at: string;
  detail: Record<string, unknown>;
}
