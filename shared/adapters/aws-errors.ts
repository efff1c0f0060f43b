/**
 * What the AWS SDK throws, classified once into RetryableError or PermanentError (shared/errors.ts).
 * Smithy marks throttling and server faults itself ($retryable, $fault); network failures carry
 * Node error codes and no $metadata. Everything else (access denied, validation, a missing table)
 * fails the same way on every try.
 */
import { OtaError, PermanentError, RetryableError } from '../errors.js';

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isRetryableAwsError(e: unknown): boolean {
  const err = (e ?? {}) as SdkError;
  if (err.$retryable) return true;
  if (err.name && RETRYABLE_NAMES.has(err.name)) return true;
  if (err.code && NETWORK_CODES.has(err.code)) return true;
  if (err.$fault === 'server') return true;
  const status = err.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** Wraps an SDK failure in our class, keeping the original as `cause` and its name in the message. */
export function classifyAwsError(e: unknown, what: string): OtaError {
  if (e instanceof OtaError) return e;
  const err = (e ?? {}) as SdkError;
  const message = `${what} failed: ${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
  return isRetryableAwsError(e) ? new RetryableError(message, { cause: e }) : new PermanentError(message, { cause: e });
}

export const isConditionFailure = (e: unknown) => (e as SdkError)?.name === 'ConditionalCheckFailedException';
