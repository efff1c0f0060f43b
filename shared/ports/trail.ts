import type { TrailEntry } from '../domain/model.js';

export interface TrailRepository {
  /** Records entries on their tickets; each expires after AccessTrailDays. */
  record(entries: TrailEntry[]): Promise<void>;
  /** The whole trail of a ticket, newest first (ops). */
  list(ticketNumber: string): Promise<TrailEntry[]>;
}
