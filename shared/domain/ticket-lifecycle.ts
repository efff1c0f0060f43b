/**
 * Ticket state changes (docs/events.md, 'Ticket lifecycle'), decided without I/O. Every caller that
 * changes a ticket's state — helpdesk events, the CLI, a follow-up mail, a portal reply — plans it
 * here, and the ticket repository turns the plan into one conditional update (including the sweep
 * index's attributes, which only the adapter's index module writes).
 *
 * - Close, merge, remove record closedAt (kept when the ticket was closed already: the window
 *   counts from the first close) and bring the active token's expiry forward to
 *   min(minted + TokenMaxAgeDays, closedAt + AccessDaysAfterClose), so TTL removes it even when
 *   the sweep is down.
 * - Reopening (any open state from a closed one) clears closedAt and restores the token's expiry
 *   to minted + TokenMaxAgeDays.
 */
import type { Config } from '../config.js';
import { CLOSED_STATES, GONE_STATES, type ActiveToken, type Ticket, type TicketState } from './model.js';

const DAY_MS = 86_400_000;

/** The attributes a state change sets; null clears one. */
export interface TicketChange {
  state: TicketState;
  closedAt: string | null;
  mergedInto: string | null;
  /** The active token's new expiry, when the ticket has one. */
  activeTokenExpiresAt?: string;
}

export interface PlannedChange {
  change: TicketChange;
  reopened: boolean;
  closed: boolean;
  /** Nothing would change: the ticket is in that state already (a redelivered event). */
  unchanged: boolean;
}

export type LifecycleConfig = Pick<Config, 'AccessDaysAfterClose' | 'TokenMaxAgeDays'>;

export const isClosed = (state: TicketState) => CLOSED_STATES.includes(state);
export const isGone = (state: TicketState) => GONE_STATES.includes(state);

/** The moment before which a closed ticket's links stop working (closedAt must be after it). */
export function windowStart(config: Pick<Config, 'AccessDaysAfterClose'>, now: Date): string {
  return new Date(now.getTime() - config.AccessDaysAfterClose * DAY_MS).toISOString();
}

/** Can the customer still reach this ticket through a link or the portal? */
export function isAccessible(ticket: Pick<Ticket, 'state' | 'closedAt'>, config: Pick<Config, 'AccessDaysAfterClose'>, now: Date): boolean {
  if (isGone(ticket.state)) return false;
  if (!isClosed(ticket.state) || !ticket.closedAt) return true;
  return ticket.closedAt > windowStart(config, now);
}

/** When the active token stops working, given the ticket's state. */
export function tokenExpiry(token: Pick<ActiveToken, 'createdAt'>, closedAt: string | undefined, config: LifecycleConfig): string {
  const minted = Date.parse(token.createdAt) + config.TokenMaxAgeDays * DAY_MS;
  const window = closedAt === undefined ? Infinity : Date.parse(closedAt) + config.AccessDaysAfterClose * DAY_MS;
  return new Date(Math.min(minted, window)).toISOString();
}

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

/** Plans moving `ticket` to `to` at `at`. Merging needs the target, which must be another ticket. */
export function planTransition(ticket: Ticket, to: TicketState, at: Date, config: LifecycleConfig, mergedInto?: string): PlannedChange {
  if (to === 'merged' && (!mergedInto || mergedInto === ticket.number)) throw new InvalidTransitionError('A merge names another ticket to merge into');
  if (to !== 'merged' && mergedInto) throw new InvalidTransitionError('Only a merge names a target ticket');
  const wasClosed = isClosed(ticket.state);
  const closing = isClosed(to);
  const closedAt = closing ? (wasClosed && ticket.closedAt ? ticket.closedAt : at.toISOString()) : null;
  const change: TicketChange = { state: to, closedAt, mergedInto: to === 'merged' ? (mergedInto ?? null) : null };
  if (ticket.activeToken) change.activeTokenExpiresAt = tokenExpiry(ticket.activeToken, closedAt ?? undefined, config);
  const unchanged = ticket.state === to && (ticket.mergedInto ?? null) === change.mergedInto;
  return { change, reopened: wasClosed && !closing, closed: closing && !wasClosed, unchanged };
}
