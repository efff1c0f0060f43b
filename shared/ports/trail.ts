import type { TrailEntry } from '../domain/model.js';
import type { LinkOpens } from '../domain/trail.js';

export interface TrailRepository {
  /** Records entries on their tickets; each expires after AccessTrailDays. */
  record(entries: TrailEntry[]): Promise<void>;
  /** Adds opens of one link to its interval's counted entry, making it on the first (domain/trail.ts). */
  countOpens(opens: LinkOpens): Promise<void>;
  /** The whole trail of a ticket, counted opens among it, newest first (ops). */
  list(ticketNumber: string): Promise<TrailEntry[]>;
}
