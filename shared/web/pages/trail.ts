/**
 * The access trail on the ticket page: each entry as a sentence in the customer's language. The
 * words come from the entry's detail where it has one, else from its event; a key is never shown.
 */
import type { TrailEntry, TrailKind } from '../../domain/trail.js';
import type { Texts } from '../texts.js';
import { esc, isolate, time, type PageContext } from './shell.js';

/** What the page shows of an entry: when, what, and the coarse client hint. */
export type TrailLine = TrailKind & Pick<TrailEntry, 'at' | 'client' | 'clientKind'>;

function detailSentence(entry: TrailLine, t: Texts): string | undefined {
  switch (entry.event) {
    case 'link-minted':
      return entry.detail && t.trail.purpose[entry.detail];
    case 'link-refused':
      return entry.detail && t.trail.refused[entry.detail];
    case 'self-service-requested':
      return entry.detail && t.trail.requested[entry.detail];
    case 'code-refused':
      return entry.detail && t.trail.codeRefused[entry.detail];
    default: {
      // The other events carry no detail: one that gets one is a type error here until it has words.
      const none: undefined = entry.detail;
      return none;
    }
  }
}

export function trailItem(entry: TrailLine, ctx: PageContext, t: Texts): string {
  const client = entry.client?.trim() ? ` <span class="muted">(${isolate(entry.client.trim())})</span>` : '';
  // A client that says it is a scanner or a headless browser is worded as one, not as a person.
  const automated = entry.clientKind ? ` — ${esc(t.trail.automated[entry.clientKind])}` : '';
  return `<li>${time(entry.at, ctx.language, t)} · ${esc(detailSentence(entry, t) ?? t.trail.event[entry.event])}${automated}${client}</li>`;
}
