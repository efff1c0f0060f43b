/** Mail in (raw MIME the SES receipt rule stored) and mail out (the provider). */
import type { Language } from '../config.js';

export interface RawMailStore {
  /** The raw MIME as a stream of chunks; throws RawMailMissingError when the object does not exist. */
  open(key: string): Promise<AsyncIterable<Uint8Array>>;
}

export interface OutboundMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  language: Language;
  inReplyTo?: string;
  references?: string[];
  /** RFC 3834: set on machine-made mail so well-behaved responders never answer it. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
}

export interface Mailer {
  /**
   * Sends to exactly `to`; resolves with the provider's message id. Throws MailRejectedError when
   * the provider refused the message, RetryableError when it may or may not have been accepted.
   */
  send(mail: OutboundMail): Promise<{ messageId: string }>;
}

/** The stored raw mail as ops see it: what arrived, and its bytes (replays, stuck-mail checks). */
export interface RawMailArchive {
  /** Raw mails stored at or after `since`, oldest first; `deliveryId` is the SES messageId the key ends in. */
  list(since: Date): Promise<{ key: string; deliveryId: string; storedAt: Date }[]>;
  /** The stored bytes of one delivery and when they were stored (SES's receipt time, near enough). */
  read(deliveryId: string): Promise<{ bytes: Uint8Array; storedAt: Date }>;
}
