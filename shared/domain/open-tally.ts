/**
 * What one server instance (a Lambda container, the local stack) remembers of the link opens it
 * recorded (docs/links-and-portal.md, "The access trail"): a link opened again and again — a scanner,
 * a script, a person reloading — costs a table request only the first time in an interval, and then
 * at most once every OPEN_FLUSH_MS, which adds up the opens seen meanwhile. So the landing page of a
 * known link mostly answers without touching the table, and the count stays exact to within the opens
 * an instance saw in its last OPEN_FLUSH_MS before it stopped (those are never written).
 *
 * Only known links are remembered: an unknown token is looked up every time, as before, and never
 * written anywhere.
 */
export const OPEN_FLUSH_MS = 10_000;

interface Seen {
  interval: string;
  /** Opens seen since the last write. */
  pending: number;
  writtenAt: number;
}

/** What the open asks of the table. */
export type OpenStep =
  /** First here in this interval: is the link known? Then count this open (recorded()). Opens of the previous interval not yet written go with it. */
  | { step: 'look-up'; unwritten?: { interval: string; count: number } }
  /** Known, and time to write what was seen: add `count` to the interval's entry. */
  | { step: 'count'; count: number }
  /** Known and written recently: nothing to do now. */
  | { step: 'none' };

export class OpenTally {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly flushMs = OPEN_FLUSH_MS,
    /** Links remembered at most; beyond it the oldest is forgotten (its unwritten opens with it). */
    private readonly capacity = 10_000,
  ) {}

  open(link: string, interval: string, nowMs: number): OpenStep {
    const seen = this.seen.get(link);
    if (!seen || seen.interval !== interval) return { step: 'look-up', ...(seen?.pending ? { unwritten: { interval: seen.interval, count: seen.pending } } : {}) };
    seen.pending++;
    if (nowMs - seen.writtenAt < this.flushMs) return { step: 'none' };
    const count = seen.pending;
    seen.pending = 0;
    seen.writtenAt = nowMs;
    return { step: 'count', count };
  }

  /** The link was found and this open written: later opens in the interval are counted here. */
  recorded(link: string, interval: string, nowMs: number): void {
    this.seen.delete(link);
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(link, { interval, pending: 0, writtenAt: nowMs });
  }

  /** The link is not (or no longer) known: nothing of it is kept. */
  forget(link: string): void {
    this.seen.delete(link);
  }
}
