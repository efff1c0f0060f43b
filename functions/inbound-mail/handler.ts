/**
 * SES receipt rule → Lambda (invocation type Event), after the rule's S3 action stored the
 * raw MIME under RawMailPrefix + messageId. Thin adapter: validate the event, run
 * receive-mail per record, rethrow what must be retried.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { buildDeps } from '../shared/deps.js';
import { RawMailMissingError } from '../shared/errors.js';
import { sesReceiptEventSchema } from '../shared/events/ses-receipt.js';
import { receiveMail } from '../shared/use-cases/receive-mail.js';

const deps = buildDeps();
const { logger, metrics } = deps.powertools;

export async function handleSesEvent(event: unknown): Promise<{ outcomes: string[] }> {
  const parsed = sesReceiptEventSchema.safeParse(event);
  if (!parsed.success) {
    // Not an SES receipt: retrying cannot fix it. Answered in the log and counted.
    logger.error('Malformed SES event', { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
    deps.metrics.count('MalformedEvent');
    return { outcomes: ['malformed-event'] };
  }
  const outcomes: string[] = [];
  for (const { ses } of parsed.data.Records) {
    const { mail, receipt } = ses;
    logger.appendKeys({ sesMessageId: mail.messageId });
    try {
      outcomes.push(
        await receiveMail(deps, {
          deliveryId: mail.messageId,
          receivedAt: new Date(mail.timestamp).toISOString(),
          rawMailKey: `${deps.config.RawMailPrefix}${mail.messageId}`,
          verdicts: {
            spam: receipt.spamVerdict?.status,
            virus: receipt.virusVerdict?.status,
            spf: receipt.spfVerdict?.status,
            dkim: receipt.dkimVerdict?.status,
            dmarc: receipt.dmarcVerdict?.status,
            dmarcPolicy: receipt.dmarcPolicy,
          },
        }),
      );
    } catch (e) {
      // Everything is rethrown: Lambda retries twice, then the DLQ keeps the event for replay.
      if (e instanceof RawMailMissingError) deps.metrics.count('RawMailMissing');
      else deps.metrics.count('InboundFailed');
      logger.error('Inbound mail failed', e as Error);
      throw e;
    } finally {
      logger.removeKeys(['sesMessageId']);
    }
  }
  return { outcomes };
}

export const handler = middy(handleSesEvent).use(injectLambdaContext(logger)).use(logMetrics(metrics));
