/**
 * Peak memory of parseMail for one big generated mail, in a fresh process so nothing else
 * inflates the high-water mark. Usage: `node --import tsx test/support/parse-mail-memory.ts
 * <text|html|attachment> [megabytes]`; prints one JSON line. The mail is generated as a stream of
 * 64 kB chunks, like an S3 GetObject body, so the only big allocations are the parser's own.
 */
import { parseMail } from '../../shared/adapters/mime/parse-mail.js';

export type MailKind = 'text' | 'html' | 'attachment';

export interface MemoryReport {
  kind: MailKind;
  mailBytes: number;
  maxRssMb: number;
  ms: number;
  textBytes: number;
  textTruncated: boolean;
  attachments: { filename: string; size: number }[];
  /** Decoded bytes of the generated attachment, to compare with the reported size. */
  attachmentBytes: number;
}

const CHUNK_BYTES = 64 * 1024;
const BOUNDARY = 'memory-check-boundary';

/** Repeats `line` until about `bytes`, as fresh 64 kB chunks (a stream does not reuse its buffers). */
async function* repeated(line: string, bytes: number): AsyncGenerator<Buffer> {
  const template = Buffer.from(line.repeat(Math.max(1, Math.floor(CHUNK_BYTES / line.length))));
  for (let sent = 0; sent < bytes; sent += template.length) yield Buffer.from(template);
}

/** A generated mail of about `bytes`, and the decoded size of its attachment (0 when none). */
export function generatedMail(kind: MailKind, bytes: number): { chunks: AsyncIterable<Buffer>; attachmentBytes: number } {
  const from = 'From: Big Sender <big@memory.example>\r\nTo: support@localhost\r\nSubject: Big mail\r\nMIME-Version: 1.0\r\n';
  if (kind === 'text') {
    const head = `${from}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`;
    return { chunks: concat([Buffer.from(head)], repeated('Grüße aus dem Drucker, der seit Tagen brennt und nicht aufhört. \r\n', bytes)), attachmentBytes: 0 };
  }
  if (kind === 'html') {
    const head = `${from}Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>\r\n`;
    const row = '<tr><td style="font-family:Arial;color:#333;padding:4px">Zeile <b>fett</b> &amp; <a href="https://example.com/a?b=c">Link</a></td></tr>\r\n';
    return { chunks: concat([Buffer.from(head)], repeated(row, bytes)), attachmentBytes: 0 };
  }
  // 57 bytes per base64 line of 76 characters + CRLF.
  const line = `${Buffer.alloc(57, 0xa5).toString('base64')}\r\n`;
  const lines = Math.floor(CHUNK_BYTES / line.length);
  const chunkCount = Math.ceil(bytes / (lines * line.length));
  const head =
    `${from}Content-Type: multipart/mixed; boundary="${BOUNDARY}"\r\n\r\n--${BOUNDARY}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scan is attached.\r\n` +
    `--${BOUNDARY}\r\nContent-Type: application/pdf; name="scan.pdf"\r\nContent-Disposition: attachment; filename="scan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  return {
    chunks: concat([Buffer.from(head)], repeated(line, chunkCount * lines * line.length), [Buffer.from(`--${BOUNDARY}--\r\n`)]),
    attachmentBytes: chunkCount * lines * 57,
  };
}

async function* concat(...parts: (Iterable<Buffer> | AsyncIterable<Buffer>)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield* part;
}

async function main(): Promise<void> {
  const kind = (process.argv[2] ?? 'text') as MailKind;
  const megabytes = Number(process.argv[3] ?? 40);
  const mail = generatedMail(kind, megabytes * 1024 * 1024);
  let mailBytes = 0;
  async function* counted() {
    for await (const chunk of mail.chunks) {
      mailBytes += chunk.length;
      yield chunk;
    }
  }
  const started = performance.now();
  const parsed = await parseMail(counted());
  const report: MemoryReport = {
    kind,
    mailBytes,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ms: Math.round(performance.now() - started),
    textBytes: Buffer.byteLength(parsed.text),
    textTruncated: parsed.textTruncated,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename, size: a.size })),
    attachmentBytes: mail.attachmentBytes,
  };
  console.log(JSON.stringify(report));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
