/** Access-trail entries (DESIGN §3.7), built one way by every use case that records one. */
import type { ClientRef, TrailEntry } from './model.js';

export function trailEntry(ticketNumber: string, at: string, event: TrailEntry['event'], detail?: string, client?: ClientRef): TrailEntry {
  return { ticketNumber, at, event, ...(detail ? { detail } : {}), ...(client?.hint ? { client: client.hint } : {}), ...(client?.requestId ? { requestId: client.requestId } : {}) };
}
