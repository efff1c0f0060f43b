import type { Session } from '../domain/model.js';
import type { AlsoWrite } from './writes.js';

export type TouchResult = { found: true; session: Session } | { found: false; expired?: Session };

export interface SessionRepository {
  /** Stores a new session (TTL at its absolute end) with what rides along, in one request. */
  start(session: Session, also?: AlsoWrite): Promise<void>;
  /**
   * Reads and extends a session in one request: only while it is within both lifetimes (idle:
   * lastSeenAt after `idleCutoff`; absolute: absoluteExpiresAt after `now`). An expired session
   * is reported as `expired` (and left to its TTL), an unknown one as not found.
   */
  touch(idHash: string, now: string, idleCutoff: string): Promise<TouchResult>;
  /** Ends a session server-side, with what rides along. */
  end(idHash: string, also?: AlsoWrite): Promise<void>;
  /** Ends every session of a customer (disable). Resolves with how many there were. */
  endAllOf(customerLogin: string): Promise<number>;
}
