/** Builds test mail as real MIME with nodemailer's composer, or raw text for hostile cases. */
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

export async function mime(options: SendMailOptions): Promise<Buffer> {
  const info = await composer.sendMail({ to: 'support@localhost', ...options });
  return info.message as Buffer;
}

export function sesEvent(messageId: string, verdicts: Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', string>> & { dmarcPolicy?: string } = {}, timestamp = '2026-11-25T10:00:00.000Z') {
  const v = (s?: string) => ({ status: s ?? 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId, timestamp, source: 'x@example.com', destination: ['support@localhost'], headersTruncated: false, headers: [], commonHeaders: {} },
          receipt: {
            timestamp,
            recipients: ['support@localhost'],
            spamVerdict: v(verdicts.spam),
            virusVerdict: v(verdicts.virus),
            spfVerdict: v(verdicts.spf),
            dkimVerdict: v(verdicts.dkim),
            dmarcVerdict: v(verdicts.dmarc),
            ...(verdicts.dmarcPolicy ? { dmarcPolicy: verdicts.dmarcPolicy } : {}),
            action: { type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:inbound' },
          },
        },
      },
    ],
  };
}
