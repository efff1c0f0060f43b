/** The SES receipt event a receipt rule's Lambda action delivers (shape as documented by AWS). */
export type LocalVerdicts = { spam: string; virus: string; spf: string; dkim: string; dmarc: string; dmarcPolicy?: string };

export interface SesEventInput {
  messageId: string;
  timestamp: string;
  envelope: { from: string; to: string[] };
  headers?: { name: string; value: string }[];
  commonHeaders?: Record<string, unknown>;
  verdicts: LocalVerdicts;
}

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
