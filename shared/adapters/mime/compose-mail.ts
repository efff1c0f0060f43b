/**
 * OutboundMail → raw MIME (text + HTML alternative, threading and RFC 3834 headers), built by
 * nodemailer's composer so encoding and header folding are a library's job, not ours.
 */
import nodemailer from 'nodemailer';
import type { OutboundMail } from '../../ports.js';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

const bracket = (id: string) => `<${id}>`;

export async function composeMail(mail: OutboundMail): Promise<Buffer> {
  const info = await composer.sendMail({
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    inReplyTo: mail.inReplyTo ? bracket(mail.inReplyTo) : undefined,
    references: mail.references?.length ? mail.references.map(bracket) : undefined,
    headers: {
      // RFC 3834: marks the mail as automatic so well-behaved responders never answer it.
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
      'Content-Language': mail.language,
    },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return info.message as Buffer;
}
