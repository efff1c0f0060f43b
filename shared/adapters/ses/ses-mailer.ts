/** Mailer on SES v1 SendRawEmail: custom headers (threading, Auto-Submitted) need the raw API. */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer, OutboundMail } from '../../ports.js';
import { composeMail } from '../mime/compose-mail.js';

export class SesMailer implements Mailer {
  constructor(private readonly ses: SESClient) {}

  async send(mail: OutboundMail): Promise<{ messageId: string }> {
    const raw = await composeMail(mail);
    const out = await this.ses.send(
      new SendRawEmailCommand({
        Source: mail.from.address,
        // Explicit envelope: SES delivers to this address only, whatever the headers say.
        Destinations: [mail.to],
        RawMessage: { Data: raw },
      }),
    );
    return { messageId: out.MessageId ?? '' };
  }
}
