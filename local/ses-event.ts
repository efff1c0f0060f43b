/**
 * SES receiving as the local stack and the ops CLI need it: the receipt event a rule's Lambda
 * action delivers, the headers SES prepends to the copy its S3 action stores, and the way back —
 * a receipt event rebuilt from a stored copy, so a mail can be replayed (restart recovery, `ota
 * delivery replay`) with the verdicts it arrived with.
 */
import { addressParser } from 'postal-mime';

export type LocalVerdicts = { spam: string; virus: string; spf: string; dkim: string; dmarc: string; dmarcPolicy?: string };

export interface SesEventInput {
  messageId: string;
  timestamp: string;
  envelope: { from: string; to: string[] };
  headers?: { name: string; value: string }[];
  commonHeaders?: Record<string, unknown>;
  verdicts: LocalVerdicts;
}

/** The SES receipt event a receipt rule's Lambda action delivers (shape as documented by AWS). */
export function sesReceiptEvent(i: SesEventInput) {
  const status = (s: string) => ({ status: s });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: i.timestamp,
            source: i.envelope.from,
            messageId: i.messageId,
            destination: i.envelope.to,
            headersTruncated: false,
            headers: i.headers ?? [],
            commonHeaders: i.commonHeaders ?? {},
          },
          receipt: {
            timestamp: i.timestamp,
            processingTimeMillis: 1,
            recipients: i.envelope.to,
            spamVerdict: status(i.verdicts.spam),
            virusVerdict: status(i.verdicts.virus),
            spfVerdict: status(i.verdicts.spf),
            dkimVerdict: status(i.verdicts.dkim),
            dmarcVerdict: status(i.verdicts.dmarc),
            ...(i.verdicts.dmarcPolicy ? { dmarcPolicy: i.verdicts.dmarcPolicy } : {}),
            action: { type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:local:000000000000:function:inbound-mail' },
          },
        },
      },
    ],
  };
}

export type SesReceiptEvent = ReturnType<typeof sesReceiptEvent>;

/**
 * The trace SES's S3 action prepends to the stored message: the envelope sender as Return-Path,
 * a Received line, and the verdicts (X-SES-*-Verdict, Received-SPF, Authentication-Results).
 */
export function sesStoredHeaders(i: { messageId: string; receivedAt: Date; envelope: { from: string; to: string[] }; fromDomain?: string; verdicts: LocalVerdicts }): string {
  const v = i.verdicts;
  const lower = (s: string) => s.toLowerCase();
  const policy = v.dmarcPolicy ? ` (p=${v.dmarcPolicy.toUpperCase()})` : '';
  return [
    `Return-Path: <${i.envelope.from}>`,
    `Received: from localhost by inbound-smtp.local (one-time-auth-links local stack) with SMTP id ${i.messageId} for ${i.envelope.to.join(', ')}; ${i.receivedAt.toUTCString()}`,
    `X-SES-Spam-Verdict: ${v.spam}`,
    `X-SES-Virus-Verdict: ${v.virus}`,
    `Received-SPF: ${lower(v.spf)} envelope-from=${i.envelope.from || '<>'};`,
    `Authentication-Results: amazonses.com; spf=${lower(v.spf)} smtp.mailfrom=${i.envelope.from || '<>'}; dkim=${lower(v.dkim)}; dmarc=${lower(v.dmarc)}${policy} header.from=${i.fromDomain ?? 'unknown'};`,
    `X-SES-RECEIPT: local`,
    '',
  ].join('\r\n');
}

/** The header block of a stored message (everything before the first empty line), at most 256 kB. */
export function headerBlock(raw: Uint8Array): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 256 * 1024));
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** Unfolded headers, first occurrence of each name first. */
export function parseHeaders(block: string): { name: string; value: string }[] {
  return block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .flatMap((line) => {
      const colon = line.indexOf(':');
      return colon > 0 ? [{ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }] : [];
    });
}

/** Builds the receipt event for a stored mail from the trace SES prepended to it (see sesStoredHeaders). */
export function rebuildSesEvent(raw: Uint8Array, messageId: string, receivedAt: Date, recipients: string[]) {
  const headers = parseHeaders(headerBlock(raw));
  const first = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;
  const auth = first('authentication-results') ?? '';
  const result = (key: string) => new RegExp(`\\b${key}=([a-z]+)`, 'i').exec(auth)?.[1]?.toUpperCase();
  const returnPath = first('return-path');
  const envelopeFrom = returnPath === undefined ? '' : (addressParser(returnPath)[0]?.address ?? '');
  return sesReceiptEvent({
    messageId,
    timestamp: receivedAt.toISOString(),
    envelope: { from: envelopeFrom, to: recipients },
    headers: headers.slice(0, 100),
    commonHeaders: { from: [first('from') ?? ''], subject: first('subject') ?? '', messageId: first('message-id') ?? '', returnPath: envelopeFrom },
    verdicts: {
      spam: first('x-ses-spam-verdict') ?? 'PASS',
      virus: first('x-ses-virus-verdict') ?? 'PASS',
      spf: result('spf') ?? 'PASS',
      dkim: result('dkim') ?? 'PASS',
      dmarc: result('dmarc') ?? 'PASS',
      // The policy, when the trace names it; otherwise none (a stuck mail was not rejected when it arrived).
      dmarcPolicy: /dmarc=\w+ \(p=(\w+)/i.exec(auth)?.[1]?.toLowerCase(),
    },
  });
}
