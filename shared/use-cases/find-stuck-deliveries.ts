/**
 * find-stuck-deliveries: inbound mail that may never be answered unless someone acts (ops: `ota
 * delivery list --stuck`; the local stack on start).
 *
 *  1. Every delivery within the dedup window, by the SES ids it covers (its own and its copies).
 *  2. Every raw mail stored within the same window.
 *  3. Stuck: a delivery still `processing` or `reply-pending` whose lease has run out (its
 *     invocation died and no retry took it over), or a raw mail no delivery covers, stored longer
 *     ago than a lease (its invocation never got as far as a claim).
 * With `noLiveInvocations` (a local stack that just started: nothing of the old process is alive)
 * every unsettled delivery counts, and its lease is given back so a replay can take it over at once.
 */
import type { Config } from '../config.js';
import type { Delivery } from '../domain/model.js';
import type { DeliveryRepository } from '../ports/deliveries.js';
import type { RawMailArchive } from '../ports/mail.js';
import type { Clock } from '../ports/system.js';
import { LEASE_MS } from './receive-mail.js';

const DAY_MS = 86_400_000;
const UNSETTLED = new Set<Delivery['status']>(['processing', 'reply-pending']);

export interface StuckMail {
  /** SES messageId: what `ota delivery replay` takes. */
  deliveryId: string;
  rawMailKey: string;
  /** The delivery's status, or `missing` when no delivery covers the raw mail. */
  status: Delivery['status'] | 'missing';
  since: string;
  ticketNumber?: string;
}

export interface StuckDeps {
  config: Pick<Config, 'InboundDedupDays'>;
  clock: Clock;
  deliveries: DeliveryRepository;
  archive: RawMailArchive;
}

export async function findStuckDeliveries(deps: StuckDeps, options: { noLiveInvocations?: boolean } = {}): Promise<{ recent: Delivery[]; stuck: StuckMail[] }> {
  const now = deps.clock.now();
  // Older raw mail has no delivery any more (its TTL ran out): replaying it would answer it twice.
  const since = new Date(now.getTime() - deps.config.InboundDedupDays * DAY_MS + DAY_MS);
  const recent: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.list({ cursor, limit: 500 });
    recent.push(...page.items.filter((d) => d.receivedAt >= since.toISOString()));
    cursor = page.items.length && page.items.at(-1)!.receivedAt >= since.toISOString() ? page.cursor : undefined;
  } while (cursor);

  const covering = new Map<string, Delivery>();
  for (const d of recent) for (const id of [d.deliveryId, ...(d.copies ?? [])]) covering.set(id, d);
  const nowIso = now.toISOString();
  const stuck: StuckMail[] = [];
  for (const d of recent) {
    if (!UNSETTLED.has(d.status)) continue;
    const leaseAlive = d.leaseUntil !== undefined && d.leaseUntil > nowIso;
    if (leaseAlive && !options.noLiveInvocations) continue;
    if (leaseAlive && d.leaseUntil) await deps.deliveries.release(d.key, d.leaseUntil);
    stuck.push({ deliveryId: d.deliveryId, rawMailKey: d.rawMailKey, status: d.status, since: d.receivedAt, ticketNumber: d.ticketNumber });
  }
  for (const raw of await deps.archive.list(since)) {
    if (covering.has(raw.deliveryId)) continue;
    const old = now.getTime() - raw.storedAt.getTime() > LEASE_MS;
    if (!old && !options.noLiveInvocations) continue;
    stuck.push({ deliveryId: raw.deliveryId, rawMailKey: raw.key, status: 'missing', since: raw.storedAt.toISOString() });
  }
  return { recent, stuck };
}
