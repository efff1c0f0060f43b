/**
 * Bytes in some charset → text, for headers and body parts alike. Older clients still write raw
 * 8-bit header bytes (`Subject: Die Fr\xF6sche`), sometimes even inside an encoded word; decoded
 * as UTF-8 they become U+FFFD, so they are read in the message's declared charset instead.
 * Valid UTF-8 (RFC 6532 headers, UTF-8 bodies) always stays as it is.
 */
import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';

/** What mail without a usable charset was most likely written in (and what browsers assume). */
export const FALLBACK_CHARSET = 'windows-1252';

const PRINTABLE_ASCII = Buffer.from(Array.from({ length: 0x7f - 0x20 }, (_, i) => i + 0x20).concat([0x09, 0x0a, 0x0d]));
// A Q encoded word as it appears in raw header bytes read as latin1 (one char per byte).
const Q_WORD = /=\?([^?\s]+)\?([Qq])\?([^?]*)\?=/g;
const EIGHT_BIT = /[\x80-\xff]/g;

/** The TextDecoder name for a charset label from a header (libmime knows mail's odd aliases), if any. */
export function charsetLabel(name: string | false | undefined): string | undefined {
  if (!name) return undefined;
  try {
    return new TextDecoder(libmime.normalizeCharset(name)).encoding;
  } catch {
    return undefined;
  }
}

/**
 * A declared charset that can explain 8-bit header bytes: known, not UTF-8 (the bytes were
 * already found not to be UTF-8; us-ascii maps to windows-1252 here, which is what such senders
 * mean) and ASCII-compatible, so the header syntax around the 8-bit bytes survives decoding.
 */
export function headerCharset(name: string | false | undefined): string | undefined {
  const label = charsetLabel(name);
  if (!label || label === 'utf-8') return undefined;
  const ascii = new TextDecoder(label).decode(PRINTABLE_ASCII);
  return ascii === PRINTABLE_ASCII.toString('latin1') ? label : undefined;
}

/** The message's charset for 8-bit header bytes: the top-level one, else the first text part's, else windows-1252. */
export function messageCharset(topLevel: string | false | undefined, firstTextPart: string | false | undefined): string {
  return headerCharset(topLevel) ?? headerCharset(firstTextPart) ?? FALLBACK_CHARSET;
}

/**
 * A header block as UTF-8. Lines that are valid UTF-8 stay; other lines are read in `charset`
 * (from messageCharset). A raw byte inside a Q encoded word belongs to the word's own charset,
 * so it becomes its =XX escape first and the word decoder reads it as intended.
 */
export function repairHeaderBytes(block: Buffer, charset: string): Buffer {
  if (isUtf8(block)) return block;
  const decoder = new TextDecoder(charset);
  const lines: Buffer[] = [];
  for (let start = 0; start < block.length; ) {
    const newline = block.indexOf(0x0a, start);
    const end = newline < 0 ? block.length : newline + 1;
    const line = block.subarray(start, end);
    start = end;
    if (isUtf8(line)) {
      lines.push(line);
      continue;
    }
    const escaped = line.toString('latin1').replace(Q_WORD, (_word, wordCharset: string, q: string, text: string) => {
      const bytes = text.replace(EIGHT_BIT, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`);
      return `=?${wordCharset}?${q}?${bytes}?=`;
    });
    lines.push(Buffer.from(decoder.decode(Buffer.from(escaped, 'latin1')), 'utf8'));
  }
  return Buffer.concat(lines);
}

/**
 * A body part's text. Its declared charset wins; without one (or with one we cannot decode)
 * valid UTF-8 is UTF-8 and anything else is read in the message's charset. us-ascii counts as
 * undeclared: 8-bit bytes under it are the sender's mistake, not ASCII.
 */
export function decodeBody(bytes: Buffer, declared: string | false, fallback: string): string {
  const label = /^\s*(us-)?ascii\s*$/i.test(declared || '') ? undefined : charsetLabel(declared);
  return new TextDecoder(label ?? (isUtf8Prefix(bytes) ? 'utf-8' : fallback)).decode(bytes);
}

/** UTF-8 apart from perhaps the last character, which a cut at a byte bound may have split. */
function isUtf8Prefix(bytes: Buffer): boolean {
  for (let cut = 0; cut <= 3 && cut <= bytes.length; cut++) if (isUtf8(bytes.subarray(0, bytes.length - cut))) return true;
  return false;
}
