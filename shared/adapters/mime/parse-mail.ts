/**
 * Raw MIME → the fields the inbound path uses, via postal-mime (charsets, encodings, nested
 * multiparts). HTML-only mail is converted to text; attachment content is reduced to
 * name, type and size (the raw mail in S3 keeps the bytes).
 */
import PostalMime, { addressParser, type Address } from 'postal-mime';
import { convert } from 'html-to-text';
import type { AttachmentInfo } from '../../domain/model.js';
import { messageIdsIn, withoutControls } from '../../domain/mail-rules.js';

export interface ParsedMail {
  /** The From mailbox as written (not yet validated). */
  fromAddress?: string;
  fromName: string;
  /** True when From names zero or several mailboxes: no single sender to trust. */
  fromAmbiguous: boolean;
  subject: string;
  messageId?: string;
  inReplyTo: string[];
  references: string[];
  text: string;
  attachments: AttachmentInfo[];
  /** Lower-cased header name → values, for the few headers rules look at. */
  header(name: string): string | undefined;
}

export class MalformedMailError extends Error {
  override name = 'MalformedMailError';
}

function mailboxes(address: Address | undefined): { address: string; name: string }[] {
  if (!address) return [];
  if (address.group) return address.group.map((m) => ({ address: m.address, name: m.name }));
  return [{ address: address.address ?? '', name: address.name }];
}

function sizeOf(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}

export async function parseMail(raw: Uint8Array): Promise<ParsedMail> {
  let email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxHeadersSize: 512 * 1024 });
  } catch (e) {
    throw new MalformedMailError(`MIME could not be parsed: ${(e as Error).message}`);
  }
  const headers = new Map<string, string>();
  for (const h of email.headers) if (!headers.has(h.key)) headers.set(h.key, h.value);
  // postal-mime reports the first From mailbox only; count them on the raw header.
  const fromHeader = headers.get('from');
  const fromCount = fromHeader ? addressParser(fromHeader, { flatten: true }).length : 0;
  const from = fromCount === 1 ? mailboxes(email.from) : [];
  const text = email.text?.trim() ? email.text : email.html ? convert(email.html, { wordwrap: false }) : '';
  return {
    fromAddress: from.length === 1 ? from[0]?.address : undefined,
    fromName: from[0]?.name ?? '',
    fromAmbiguous: fromCount !== 1 || from.length !== 1,
    subject: withoutControls(email.subject ?? '').trim(),
    messageId: messageIdsIn(email.messageId)[0],
    inReplyTo: messageIdsIn(email.inReplyTo),
    references: messageIdsIn(email.references),
    text,
    attachments: email.attachments.map((a) => ({
      filename: a.filename ?? '(unnamed)',
      contentType: a.mimeType,
      size: sizeOf(a.content),
    })),
    header: (name) => headers.get(name.toLowerCase()),
  };
}
