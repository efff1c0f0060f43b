/**
 * Tickets, their articles and what they show the customer. Every change to a ticket is one
 * conditional update: a patch (what changes) under a guard (what must still hold). The guards are
 * the product's invariants (docs/architecture.md, 'Invariants of a ticket update'); the DynamoDB
 * adapter writes each as a condition with the reason beside it, and the in-memory fake checks the
 * same ones (test/integration/ports.contract.test.ts runs both).
 */
import type { ActiveCode, ActiveToken, Article, ArticlePreview, Ticket, TicketState, TrailEntry } from '../domain/model.js';
import type { TicketChange } from '../domain/ticket-lifecycle.js';
import type { Page, PageRequest } from './paging.js';
import type { AlsoWrite } from './writes.js';

export interface TicketPatch {
  /** A state change from domain/ticket-lifecycle.ts (state, closedAt, mergedInto, pointer expiry). */
  change?: TicketChange;
  /** A new active token (supersedes every older one), or null to remove the pointer. */
  activeToken?: ActiveToken | null;
  /** The sign-in code of the same mail as a new active token, or null to remove it (with the token: superseded, swept, unsent). */
  activeCode?: ActiveCode | null;
  /**
   * Spends the active token: removes the pointer and records the hash as spent; `nonce` (a hash of
   * the landing page's nonce) lets the same browser's second click of that button sign in too.
   */
  spend?: { hash: string; at: string; nonce?: string };
  /** Spends the sign-in code: removes its pointer (the link of its mail stays as it is). */
  spendCode?: true;
  refreshedAt?: string;
  lastMessageId?: string;
  customerDisabled?: boolean;
  /** Sets (with a portal reply's reopen) or clears (once in the outbox) the TicketReopened owed. */
  pendingReopenEvent?: string | null;
  /** Takes the ticket out of the sweep's index (its tokens are gone). */
  leaveSweepIndex?: boolean;
  updatedAt: string;
}

export interface TicketGuard {
  /** The ticket still belongs to this customer: nothing ever lands on someone else's ticket. */
  customerLogin?: string;
  /** The state the caller saw: a lifecycle change was planned from it. */
  state?: TicketState;
  /** Compare-and-set on the pointer: the active token's hash the caller saw (null: none). */
  activeTokenHash?: string | null;
  /** The active token is still valid at this time (TTL deletes late; reads re-check). */
  activeTokenValidAt?: string;
  /** Compare-and-set on the code pointer: the code's hash expected (null: none). */
  activeCodeHash?: string | null;
  /** The active code is still valid at this time. */
  activeCodeValidAt?: string;
  /** Not merged or removed: those tickets open nothing any more. */
  notGone?: boolean;
  /** Open, or closed after this time (now − AccessDaysAfterClose): within its window. */
  openOrClosedAfter?: string;
  /** The customer is not disabled. */
  customerEnabled?: boolean;
  /** No refresh after this time (now − RefreshMinIntervalMinutes). */
  refreshedNotAfter?: string;
  /** closedAt is exactly this (the sweep saw it; a reopen and close since means a new window). */
  closedAt?: string;
}

export type TicketUpdate = { updated: true; before: Ticket } | { updated: false };

export interface TicketView {
  ticket: Ticket;
  /** Oldest first. */
  articles: Article[];
  /** Newest first, counted entries (opens, refusals) among them. */
  trail: TrailEntry[];
}

/** What one ticket page shows: this many of the newest articles (those before `before`, for older ones) and trail entries. */
export interface TicketPageRequest {
  articles: number;
  /** An articleId: the articles older than it. */
  before?: string;
  trail: number;
}

export interface TicketPage {
  ticket: Ticket;
  /** The newest `articles` articles (before `before`), oldest of them first, each with a preview of its text. */
  articles: ArticlePreview[];
  /** Set when older articles exist: ask with `before` = this (the oldest article shown). */
  olderBefore?: string;
  /** The newest access-trail entries, newest first (at most `trail`). */
  trail: TrailEntry[];
  /** The newest counted entries — repeated opens and refusals (domain/trail.ts) — newest first (at most `trail`): apart, so they never crowd out the entries above. */
  counted: TrailEntry[];
}

export interface TicketListRequest extends PageRequest {
  /** Only tickets in this state (filtered on read: the listing indexes are not keyed by state). */
  state?: TicketState;
}

export interface DueTicket {
  number: string;
  closedAt: string;
}

export interface TicketRepository {
  get(number: string): Promise<Ticket | undefined>;
  /** The ticket, all its articles (whole texts) and its whole access trail (never its tokens): for ops. */
  view(number: string): Promise<TicketView | undefined>;
  /** What a ticket page shows, in one round trip (requests sent together) whatever the ticket holds. */
  page(number: string, request: TicketPageRequest): Promise<TicketPage | undefined>;
  /** One article with its whole text, and its ticket, in one request. */
  article(number: string, articleId: string): Promise<{ ticket: Ticket; article: Article } | undefined>;
  /** Every ticket, newest first. */
  list(request?: TicketListRequest): Promise<Page<Ticket>>;
  /** One customer's tickets, newest first. */
  listByCustomer(login: string, request?: TicketListRequest): Promise<Page<Ticket>>;
  /** Applies the patch if the guard holds; `before` is the ticket as it was. */
  update(number: string, patch: TicketPatch, guard: TicketGuard): Promise<TicketUpdate>;
  /** Adds an article (idempotent on its id) with what rides along. */
  addArticle(article: Article, also?: AlsoWrite): Promise<void>;
  /** Tickets closed, merged or removed at or before `cutoff` whose tokens were not swept yet, oldest first. */
  dueForSweep(cutoff: string, page?: PageRequest): Promise<Page<DueTicket>>;
  /** A new readable number: YYYYMMDD + a counter of that UTC day. */
  nextNumber(now: Date): Promise<string>;
}
