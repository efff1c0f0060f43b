/**
 * Raw MIME → the fields the inbound path uses. The use case sees only this port; the adapter
 * (shared/adapters/mime/parse-mail.ts) streams the mail and keeps memory bounded whatever its size.
 */
import type { AttachmentInfo } from '../domain/model.js';

export interface MailLimits {
  /** Most UTF-8 bytes of article text kept (cut at a character boundary, never mid-character). */
  textMaxBytes: number;
  /** Most attachments listed; the rest are only counted. */
  maxAttachments: number;
  /** Longest attachment file name kept, in characters (longer names are cut and end with '…'). */
  nameMaxChars: number;
}

export interface ParsedMail {
  /** The From mailbox as written (not yet validated). */
  fromAddress?: string;
  /** Display name, '' if none. */
  fromName: string;
  /** True when From names zero or several mailboxes: no single sender to trust. */
  fromAmbiguous: boolean;
  subject: string;
  messageId?: string;
  inReplyTo: string[];
  references: string[];
  /** Article text, at most limits.textMaxBytes UTF-8 bytes. */
  text: string;
  /** True when the mail's text was longer than what is kept. */
  textTruncated: boolean;
  /** Size is the decoded size of the part. */
  attachments: AttachmentInfo[];
  /** Attachments beyond maxAttachments (counted, not listed). */
  attachmentsOmitted: number;
  /** report-type of a multipart/report (RFC 6522) at the top level, lower-cased; undefined when the mail is not a report. */
  reportType?: string;
  /** Lower-cased header name → first value (top-level headers only), decoded. */
  header(name: string): string | undefined;
}

/** The bytes are not a mail at all (no header block, no header only a mail has): recorded as ignored, never retried. */
export class MalformedMailError extends Error {
  override name = 'MalformedMailError';
}

export interface MailParser {
  /** Throws MalformedMailError for bytes that are not a mail; anything else it throws is the stream's own failure. */
  parse(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: MailLimits): Promise<ParsedMail>;
  /**
   * The decoded bytes of the attachments `parse` lists (same limits, same order, by their index there),
   * each handed to `each` as a stream while the mail is read, in bounded memory; resolves once every
   * `each` has. An attachment `parse` lists but could not decode (nested beyond its depth) is not handed on.
   */
  attachments(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: MailLimits, each: (index: number, bytes: AsyncIterable<Uint8Array>) => Promise<void>): Promise<void>;
}
