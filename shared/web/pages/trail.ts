/**
 * The access trail on the ticket page (docs/links-and-portal.md, "The access trail"): each entry as
 * a sentence for the person reading it. What their own browser did reads "You …" (the same browser
 * family from the same network as the request showing the page), a client that said it is a mail
 * security scanner or a headless browser is named as one (its stored kind, shared/web/http.ts
 * clientKind), and anything else happened "elsewhere"; the network itself is never shown (ops see it in
 * `ota ticket audit`). Repeats collapse: a counted entry, and consecutive entries that read the
 * same, become one line with how often and since when. A key is never shown.
 */
import type { TrailEntry, TrailKind } from '../../domain/trail.js';
import type { Texts, Who } from '../texts.js';
import { esc, time, type PageContext } from './shell.js';

/** What the page shows of an entry: when, what, who, and how often. */
export type TrailLine = TrailKind & Pick<TrailEntry, 'at' | 'client' | 'clientKind' | 'count' | 'lastAt' | 'lastClient'>;

/**
 * The browser family of a client hint ("Firefox, 203.0.113.0/24" → Firefox): one of the names
 * shared/web/http.ts gives, or none — a stored hint is read, not trusted, so nothing else reaches a sentence.
 */
function family(client: string): string | undefined {
  const name = client.split(',')[0]?.trim() ?? '';
  return /^[A-Za-z][A-Za-z ]{0,29}$/.test(name) && name !== 'other client' ? name : undefined;
}

/**
 * Who did it, for the reader: a client that said it is a mail security scanner or a headless browser
 * by its stored kind; otherwise you (the same hint as the viewer's) or someone elsewhere; none when
 * the entry names no client at all (it then reads as its event).
 */
export function whoOf(entry: Pick<TrailLine, 'client' | 'clientKind'>, viewer: string | undefined): Who | undefined {
  if (entry.clientKind) return { kind: entry.clientKind };
  const client = entry.client?.trim();
  if (!client) return undefined;
  // The family a bot or crawler gets says nothing a person would recognise: it reads as someone elsewhere.
  const named = family(client);
  const browser = named === 'link scanner' ? undefined : named;
  if (viewer && client === viewer.trim()) return { kind: 'you', ...(browser ? { browser } : {}) };
  return { kind: 'other', ...(browser ? { browser } : {}) };
}

function sentence(entry: TrailLine, who: Who | undefined, t: Texts): string {
  const anyone: Who = who ?? { kind: 'other' };
  switch (entry.event) {
    case 'link-minted':
      return (entry.detail && t.trail.purpose[entry.detail]) ?? t.trail.event['link-minted'];
    case 'link-opened':
      return who ? t.trail.opened(who) : t.trail.event['link-opened'];
    case 'link-used':
      return who ? t.trail.used(who) : t.trail.event['link-used'];
    case 'link-refused':
      return entry.detail ? t.trail.refused[entry.detail](anyone) : t.trail.event['link-refused'];
    case 'self-service-requested':
      return entry.detail ? t.trail.requested[entry.detail](anyone) : t.trail.event['self-service-requested'];
    case 'code-used':
      return who ? t.trail.codeUsed(who) : t.trail.event['code-used'];
    case 'code-refused':
      return entry.detail ? t.trail.codeRefused[entry.detail](anyone) : t.trail.event['code-refused'];
    case 'signed-out':
      return who ? t.trail.signedOut(who) : t.trail.event['signed-out'];
    case 'session-expired':
      return who ? t.trail.expired(who) : t.trail.event['session-expired'];
    case 'link-mailed':
    case 'refresh-mailed':
      return t.trail.event[entry.event];
    default: {
      // A new event is a type error here until it has words.
      const none: never = entry;
      return String(none);
    }
  }
}

interface Line {
  text: string;
  latest: string;
  earliest: string;
  times: number;
}

/** The trail as lines, newest first: each entry worded, repeats collapsed into one line. */
export function trailLines(entries: TrailLine[], viewer: string | undefined, t: Texts): Line[] {
  const lines: Line[] = [];
  // ISO-8601 UTC strings sort by time as text; the copy keeps the caller's array untouched.
  const newestFirst = [...entries].sort((a, b) => (b.lastAt ?? b.at).localeCompare(a.lastAt ?? a.at));
  for (const entry of newestFirst) {
    // A counted entry reads as its latest client did: the one a person last saw happen.
    const text = sentence(entry, whoOf({ client: entry.lastClient ?? entry.client, clientKind: entry.clientKind }, viewer), t);
    const times = entry.count ?? 1;
    const latest = entry.lastAt ?? entry.at;
    const previous = lines.at(-1);
    if (previous?.text === text) {
      previous.times += times;
      previous.earliest = entry.at < previous.earliest ? entry.at : previous.earliest;
    } else lines.push({ text, latest, earliest: entry.at, times });
  }
  return lines;
}

export function trailList(entries: TrailLine[], viewer: string | undefined, ctx: PageContext, t: Texts): string {
  const items = trailLines(entries, viewer, t).map((l) => {
    const repeated = l.times > 1 ? ` (${esc(t.trail.timesSince(l.times))} ${time(l.earliest, ctx)})` : '';
    return `<li>${time(l.latest, ctx)} · ${esc(l.text)}${repeated}</li>`;
  });
  return `<ul class="trail">\n${items.join('\n')}\n</ul>`;
}
