/**
 * Mailer on SES v2 SendEmail with simple content: SES builds the MIME (text + HTML alternative,
 * encodings) and adds our headers for threading and RFC 3834, so no MIME composer ships in the
 * functions. SES accepts header values of printable ASCII up to 870 characters each.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailRejectedError, RetryableError } from '../../errors.js';
import type { Mailer, OutboundMail } from '../../ports/mail.js';
import { classifyAwsError } from '../aws-errors.js';

const MAX_HEADER_VALUE = 870;
const PRINTABLE_ID = /^[!-~]+$/;
/** SES refused the message itself: sending it again cannot help. */
const REJECTED = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'BadRequestException', 'NotFoundException']);

/** "Name <address>", the name encoded as an RFC 2047 word when it is not plain ASCII. */
export function formatFrom(name: string, address: string): string {
  const clean = name.replace(/[\r\n"\\<>]/g, ' ').trim();
  if (!clean) return address;
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean}"` : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
  return `${display} <${address}>`;
}

/**
 * References, each message once (order kept; ids compare case-insensitively, as mail clients
 * match them), newest kept, as many as fit into one header value.
 */
export function referencesHeader(ids: string[]): string | undefined {
  const seen = new Set<string>();
  const usable: string[] = [];
  for (const id of ids) {
    if (!PRINTABLE_ID.test(id) || seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    usable.push(`<${id}>`);
  }
  const kept: string[] = [];
  for (const id of usable.reverse()) {
    if ([id, ...kept].join(' ').length > MAX_HEADER_VALUE) break;
    kept.unshift(id);
  }
  return kept.length ? kept.join(' ') : undefined;
}

export function mailHeaders(mail: OutboundMail): { Name: string; Value: string }[] {
  const headers: { Name: string; Value: string }[] = [{ Name: 'Content-Language', Value: mail.language }];
  if (mail.autoSubmitted) headers.push({ Name: 'Auto-Submitted', Value: mail.autoSubmitted }, { Name: 'X-Auto-Response-Suppress', Value: 'All' });
  if (mail.inReplyTo && PRINTABLE_ID.test(mail.inReplyTo) && mail.inReplyTo.length < MAX_HEADER_VALUE - 2) headers.push({ Name: 'In-Reply-To', Value: `<${mail.inReplyTo}>` });
  const references = referencesHeader(mail.references ?? []);
  if (references) headers.push({ Name: 'References', Value: references });
  return headers;
}

export class SesMailer implements Mailer {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: OutboundMail): Promise<{ messageId: string }> {
    const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: formatFrom(mail.from.name, mail.from.address),
          // Explicit single recipient: SES delivers to this address only, whatever the body says.
          Destination: { ToAddresses: [mail.to] },
          Content: { Simple: { Subject: utf8(mail.subject), Body: { Text: utf8(mail.text), Html: utf8(mail.html) }, Headers: mailHeaders(mail) } },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      if (REJECTED.has(name)) throw new MailRejectedError(`SES refused the mail: ${name}: ${(e as Error).message}`, { cause: e });
      const classified = classifyAwsError(e, 'SES SendEmail');
      // Anything else may or may not have been accepted: the caller's resume logic decides.
      throw classified instanceof RetryableError ? classified : new RetryableError(classified.message, { cause: e });
    }
  }
}
