/**
 * Raw MIME → the fields the inbound path uses, in bounded memory. The message streams through
 * mailsplit (mail-parts.ts) and only a bounded prefix of the article text is kept; attachments
 * are reduced to name, type and decoded size (the raw mail in S3 keeps the bytes). The top-level
 * header block alone, repaired to UTF-8 (header-bytes.ts), goes through postal-mime for its
 * hardened address and encoded-word parsing.
 */
import PostalMime, { addressParser, decodeWords, type Address, type Email } from 'postal-mime';
import { convert } from 'html-to-text';
import libmime from 'libmime';
import { messageIdsIn, withoutControls } from '../../domain/mail-rules.js';
import { MalformedMailError, type MailLimits, type MailParser, type ParsedMail } from '../../ports/mail-parser.js';
import { decodeBody, messageCharset, repairHeaderBytes } from './header-bytes.js';
import { readParts, shortened, type BodyPrefix } from './mail-parts.js';

export const DEFAULT_MAIL_LIMITS: MailLimits = { textMaxBytes: 100_000, maxAttachments: 100, nameMaxChars: 255 };

/** The MailParser port (shared/ports/mail-parser.ts), wired by the inbound function's deps factory. */
export class MimeMailParser implements MailParser {
  parse(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: MailLimits): Promise<ParsedMail> {
    return parseMail(raw, limits);
  }

  async attachments(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: MailLimits, each: (index: number, bytes: AsyncIterable<Uint8Array>) => Promise<void>): Promise<void> {
    // The same walk as parseMail's, so the same attachments in the same order; no text is kept this time.
    await readParts(raw, { textBytes: 0, htmlBytes: 0, maxAttachments: limits.maxAttachments, nameMaxChars: limits.nameMaxChars }, (index, _entry, bytes) => each(index, bytes));
  }
}

const FROM_NAME_MAX_CHARS = 200;
// Fallback for a decoded part whose charset needs up to 4 bytes per character (UTF-32): this
// many raw bytes per kept UTF-8 byte guarantee the text bound is reached whatever the charset.
const RAW_BYTES_PER_TEXT_BYTE = 4;
// HTML is mostly markup (inline styles, layout tables): 8× the text bound yields the full text
// of nearly every real mail, while html-to-text on it stays under ~200 ms and ~30 MB.
const HTML_BYTES_PER_TEXT_BYTE = 8;
// Headers that only a mail has: garbage may contain a "x:" line by chance, not one of these.
const MAIL_HEADERS = new Set(['from', 'sender', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'received', 'return-path', 'reply-to']);

export async function parseMail(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: MailLimits = DEFAULT_MAIL_LIMITS): Promise<ParsedMail> {
  const parts = await readParts(raw, {
    textBytes: limits.textMaxBytes * RAW_BYTES_PER_TEXT_BYTE + 16,
    htmlBytes: limits.textMaxBytes * HTML_BYTES_PER_TEXT_BYTE,
    maxAttachments: limits.maxAttachments,
    nameMaxChars: limits.nameMaxChars,
  });
  if (!parts.rootHeader) throw new MalformedMailError('no header block could be read');
  const charset = messageCharset(parts.rootCharset, parts.firstTextCharset);
  const email = await parseHeaderBlock(repairHeaderBytes(parts.rootHeader, charset));

  const headers = new Map<string, string>();
  for (const h of email.headers) if (!headers.has(h.key)) headers.set(h.key, h.value);
  if (![...headers.keys()].some((key) => MAIL_HEADERS.has(key))) throw new MalformedMailError('no mail header found');

  const from = singleFrom(email);
  const article = articleText(parts.text, parts.html, charset, limits.textMaxBytes);
  return {
    fromAddress: from?.address,
    fromName: shortened(from?.name ?? '', FROM_NAME_MAX_CHARS),
    fromAmbiguous: from === undefined,
    subject: withoutControls(email.subject ?? '').trim(),
    messageId: messageIdsIn(email.messageId)[0],
    inReplyTo: messageIdsIn(email.inReplyTo),
    references: messageIdsIn(email.references),
    text: article.text,
    textTruncated: article.truncated,
    attachments: parts.attachments,
    attachmentsOmitted: parts.attachmentsOmitted,
    reportType: reportTypeOf(headers.get('content-type')),
    header: (name) => {
      const value = headers.get(name.toLowerCase());
      return value === undefined ? undefined : decodeWords(value);
    },
  };
}

async function parseHeaderBlock(block: Buffer): Promise<Email> {
  try {
    // The empty line ends the header block even when the mail ended inside it. The block's size
    // was bounded by the splitter already; postal-mime's own limit must not cut it again.
    return await PostalMime.parse(Buffer.concat([block, Buffer.from('\r\n')]), { maxHeadersSize: 2 * block.length + 1024 });
  } catch (e) {
    throw new MalformedMailError(`header block could not be parsed: ${(e as Error).message}`);
  }
}

/**
 * The one sender of the mail, or undefined when there is no single one to trust. postal-mime reports
 * the first mailbox of the first From header only, so the raw headers are counted: a second From
 * header (the other order would pick another sender), several mailboxes in one header, and group
 * syntax (`From: group: alice@example.com;`, which names no sender at all) are all ambiguous.
 */
function singleFrom(email: Email): { address: string; name: string } | undefined {
  const headers = email.headers.filter((h) => h.key === 'from');
  if (headers.length !== 1) return undefined;
  const parsed: Address[] = addressParser(headers[0]?.value ?? '');
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || only.group || !email.from || email.from.group) return undefined;
  return { address: email.from.address ?? '', name: email.from.name };
}

/** The text/plain part unless it is blank, else the HTML converted; cut to maxBytes of UTF-8. */
function articleText(plain: BodyPrefix | undefined, html: BodyPrefix | undefined, charset: string, maxBytes: number): { text: string; truncated: boolean } {
  let text = plain ? decodeBody(plain.bytes(), plain.node.charset, charset) : '';
  if (plain?.node.flowed) text = libmime.decodeFlowed(text, plain.node.delSp);
  let more = plain?.more ?? false;
  if (!text.trim() && html) {
    text = convert(decodeBody(html.bytes(), html.node.charset, charset), { wordwrap: false });
    more = html.more;
  }
  // Line ends as postal-mime gave them before: LF only.
  text = text.replace(/\r\n?/g, '\n');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: more };
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut lands before a character, not inside it.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

function reportTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const parsed = libmime.parseHeaderValue(contentType, { stripComments: true });
  if (parsed.value.trim().toLowerCase() !== 'multipart/report') return undefined;
  // report-type is required (RFC 6522); a report without one is still a machine's report.
  return parsed.params['report-type']?.trim().toLowerCase() || 'unknown';
}
