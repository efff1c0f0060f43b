/**
 * Error hierarchy, classified once. Adapters turn what the SDKs throw into one of these classes
 * (adapters/aws-errors.ts); use cases add their own; handlers answer by class, never by message.
 *
 * - RetryableError: try again later and it may work (throttling, timeouts, a lost race).
 *   Async triggers rethrow it so Lambda retries and the failure queue keeps what still fails.
 * - PermanentError: trying again cannot help (access denied, a rejected request, corrupt data).
 *   Async triggers still rethrow it, so the event waits in the failure queue for ops, but
 *   synchronous callers answer at once.
 */
export class OtaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Transient: throttling, a timeout, a provider outage, a race lost several times. */
export class RetryableError extends OtaError {}

/** Will fail the same way every time until someone changes configuration or data. */
export class PermanentError extends OtaError {}

/** The raw MIME object named by the SES event is absent: bucket/prefix misconfigured, or replayed too late. */
export class RawMailMissingError extends PermanentError {}

/** An item read from the table does not have the shape its mapper expects. */
export class CorruptItemError extends PermanentError {}

/** The mail provider refused the message itself (bad address, unverified identity, account paused). */
export class MailRejectedError extends PermanentError {}

/** The event does not have the shape of its trigger. Answered and counted; retrying cannot fix it. */
export class MalformedEventError extends PermanentError {}

/** A ticket or customer named by a command or event does not exist. */
export class NotFoundError extends PermanentError {}

/** A command that cannot be applied in the current state (e.g. a link for a disabled customer). */
export class RefusedError extends PermanentError {}

/** A page cursor that was not produced by us (tampered with, truncated, from another listing). */
export class InvalidCursorError extends PermanentError {}

/** The invocation is about to time out; work was given back so Lambda's retry can continue. */
export class OutOfTimeError extends RetryableError {}
