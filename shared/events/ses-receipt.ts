/**
 * The part of an SES receipt event (Lambda action) the inbound path relies on. Looser than
 * the full event on purpose: SES omits dmarcPolicy unless DMARC failed, and headers of a
 * hostile mail may be missing. The messageId becomes an S3 key and a table key, so its
 * alphabet is checked.
 */
import * as z from 'zod/mini';
import '../zod.js';

const verdict = z.optional(z.object({ status: z.string().check(z.maxLength(40)) }));

export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.object({
            messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/, 'unexpected SES messageId')),
            timestamp: z.iso.datetime({ offset: true }),
            /** The SMTP envelope sender; empty for a null reverse-path (bounces). */
            source: z.optional(z.string().check(z.maxLength(512))),
          }),
          receipt: z.object({
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
            dmarcPolicy: z.optional(z.string().check(z.maxLength(20))),
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export type SesReceiptEvent = z.infer<typeof sesReceiptEventSchema>;
export type SesReceiptRecord = SesReceiptEvent['Records'][number];
