/**
 * Error hierarchy. Match by class, never by message. Async triggers rethrow RetryableError
 * (and unknown errors) so Lambda retries and the DLQ keeps what still fails.
 */
export class OtaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Transient: throttling, a lost race after several tries, a provider outage. */
export class RetryableError extends OtaError {}

/** The raw MIME object named by the SES event is absent: bucket/prefix misconfigured. */
export class RawMailMissingError extends OtaError {}

/** The event does not have the shape of its trigger. Answered and counted, never retried. */
export class MalformedEventError extends OtaError {}

/** A message key of the customer-facing page to show (redeem path, later). */
export type CustomerMessageKey =
  | 'CustomerErrorMessageLinkExpired'
  | 'CustomerErrorMessageWrongLink'
  | 'CustomerErrorMessageNewLink'
  | 'CustomerErrorMessageRefreshFailed';

export class CustomerFacingError extends OtaError {
  constructor(readonly messageKey: CustomerMessageKey, detail?: string) {
    super(detail ?? messageKey);
  }
}
