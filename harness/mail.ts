/** Builds test mail as real MIME with nodemailer's composer, or raw text for hostile cases. */
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { sesReceiptEvent } from '../local/ses-event.js';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

export async function mime(options: SendMailOptions): Promise<Buffer> {
  const info = await composer.sendMail({ to: 'support@localhost', ...options });
  return info.message as Buffer;
}

/** An SES receipt event for a stored mail; verdicts default to PASS. */
export function sesEvent(messageId: string, verdicts: Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', string>> & { dmarcPolicy?: string } = {}, timestamp = '2026-11-25T10:00:00.000Z') {
  return sesReceiptEvent({
    messageId,
    timestamp,
    envelope: { from: 'x@example.com', to: ['support@localhost'] },
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', ...verdicts },
  });
}
