/**
 * relay-outbox: publishes events whose first publishing failed (on a schedule). An event stays in
 * the outbox from the write of its data until the bus took it; events younger than a minute are
 * left to the request that wrote them, which is publishing them right now.
 */
import type { EventPublisher, Outbox } from '../ports/events.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import { publishEvents } from './publish-events.js';

const SETTLE_MS = 60_000;
const BATCH = 100;

export async function relayOutbox(deps: { clock: Clock; outbox: Outbox; publisher: EventPublisher; logger: Logger; metrics: Metrics }): Promise<{ published: number; left: number }> {
  const olderThan = new Date(deps.clock.now().getTime() - SETTLE_MS).toISOString();
  let published = 0;
  for (;;) {
    const pending = await deps.outbox.pending(olderThan, BATCH);
    if (pending.length === 0) return { published, left: 0 };
    const done = await publishEvents(deps, pending);
    if (done.length) await deps.outbox.remove(done);
    published += done.length;
    deps.metrics.count('OutboxRelayed', done.length);
    // The bus took none of a batch: stop here; the next run tries again.
    if (done.length < pending.length) return { published, left: pending.length - done.length };
  }
}
