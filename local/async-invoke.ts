/**
 * Lambda's asynchronous invocation, as the local stack needs it for SES receipt rules, EventBridge
 * rules and `Event` invocations: the call runs in the background; a failed call is retried twice
 * (in AWS after about 1 and 2 minutes), then the event would go to the on-failure destination.
 * A call may also ask to be tried again later without counting as a failure (RetryLater): the
 * inbound handler does when another invocation holds the mail's lease.
 */
import { describeError } from './http-peer.js';

/** Thrown by a call that found its work in someone else's hands: try again after `afterMs`. */
export class RetryLater extends Error {
  constructor(readonly afterMs: number, reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/** Lambda's own delays before the two retries of an asynchronous invocation. */
export const LAMBDA_RETRY_DELAYS_MS: readonly [number, number] = [60_000, 120_000];
const MAX_LATER = 5;

export interface AsyncInvoker {
  /** Runs `call` in the background; it starts once `startAfter` settles (e.g. the answer was sent). */
  invoke(label: string, call: () => Promise<unknown>, startAfter?: Promise<unknown>): void;
  idle(): Promise<void>;
  /** Stops waiting between attempts (shutdown); calls in progress finish. */
  cancel(): void;
}

export function asyncInvoker(o: { log: (line: string) => void; retryDelaysMs?: readonly [number, number] }): AsyncInvoker {
  const [firstRetry, secondRetry] = o.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
  const running = new Set<Promise<void>>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let cancelled = false;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
      timers.add(entry);
    });

  const run = async (label: string, call: () => Promise<unknown>, startAfter: Promise<unknown>) => {
    await startAfter.catch(() => undefined);
    let later = 0;
    for (let attempt = 0; attempt < 3 && !cancelled; ) {
      try {
        await call();
        return;
      } catch (e) {
        if (e instanceof RetryLater && later++ < MAX_LATER) {
          o.log(`${label}: ${e.message}; trying again in ${Math.round(e.afterMs / 1000)} s`);
          await wait(e.afterMs);
          continue;
        }
        o.log(`${label}: attempt ${attempt + 1} of 3 failed: ${describeError(e)}`);
      }
      attempt++;
      if (attempt < 3 && !cancelled) await wait(attempt === 1 ? firstRetry : secondRetry);
    }
    if (cancelled) o.log(`${label}: not tried again: the stack is stopping (in AWS, Lambda would retry)`);
    else o.log(`${label}: gave up after 3 attempts; in AWS the event would go to the failure destination`);
  };

  return {
    invoke(label, call, startAfter = Promise.resolve()) {
      const done: Promise<void> = run(label, call, startAfter).finally(() => running.delete(done));
      running.add(done);
    },
    async idle() {
      // A delivery may start another one (a handler publishing an event): wait until none is left.
      while (running.size > 0) await Promise.all(running);
    },
    cancel() {
      cancelled = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
    },
  };
}
