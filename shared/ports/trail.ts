import type { TrailEntry } from '../domain/model.js';
import type { Repeats } from '../domain/trail.js';

export interface TrailRepository {
  /** Records entries on their tickets; each expires after AccessTrailDays. */
  record(entries: TrailEntry[]): Promise<void>;
  /** Adds repeats (opens, refusals) of one link to its interval's counted entry, making it on the first (domain/trail.ts). */
  count(repeats: Repeats): Promise<void>;
  /** The whole trail of a ticket, counted entries among it, newest first (ops). */
  list(ticketNumber: string): Promise<TrailEntry[]>;
}
