/**
 * SES sending is not idempotent: a request whose answer was lost may have been accepted, and the
 * SDK's default retries would then mail the customer twice (with two different links). This retry
 * strategy retries only what SES certainly did not accept — it answered "throttled", or the
 * connection was refused before the request left — and hands everything ambiguous back to the
 * caller, whose delivery or refresh logic decides what to do.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;

function token(retryCount: number): RetryToken {
  const delay = retryCount === 0 ? 0 : Math.round(BASE_DELAY_MS * 2 ** (retryCount - 1) * (0.5 + Math.random() / 2));
  return { getRetryCount: () => retryCount, getRetryDelay: () => delay };
}

export function certainlyNotAccepted(info: RetryErrorInfo): boolean {
  if (info.errorType === 'THROTTLING') return true;
  const code = (info.error as { code?: string } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

export const sendSafeRetries: RetryStrategyV2 = {
  async acquireInitialRetryToken() {
    return token(0);
  },
  async refreshRetryTokenForRetry(previous, info) {
    // Throwing ends the SDK's retry loop; it then rethrows the original error.
    if (previous.getRetryCount() + 1 >= MAX_ATTEMPTS || !certainlyNotAccepted(info)) throw info.error ?? new Error('not retried');
    return token(previous.getRetryCount() + 1);
  },
  recordSuccess() {},
};
