/**
 * SES receipt rule → Lambda (invocation type Event), after the rule's S3 action stored the raw MIME
 * under RawMailPrefix + messageId. Thin adapter: validate the event, run receive-mail per record with
 * a logger of its own, rethrow what must be retried.
 */
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { RawMailMissingError } from '../../shared/errors.js';
import { sesReceiptEventSchema } from '../../shared/events/ses-receipt.js';
import { receiveMail } from '../../shared/use-cases/receive-mail.js';
import type { InboundDeps } from './deps.js';

export function makeHandler(deps: InboundDeps) {
  const { metrics } = deps.powertools;

  async function handleSesEvent(event: unknown, context?: Context): Promise<{ outcomes: string[] }> {
    const parsed = sesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      // Not an SES receipt: retrying cannot fix it. Answered in the log and counted.
      deps.logger.error('Malformed SES event', { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
      deps.metrics.count('MalformedEvent');
      return { outcomes: ['malformed-event'] };
    }
    const outcomes: string[] = [];
    for (const { ses } of parsed.data.Records) {
      const { mail, receipt } = ses;
      // Keys on a child logger: concurrent invocations in one process never share them.
      const log = deps.logger.withKeys({ sesMessageId: mail.messageId, ...(context ? { function_request_id: context.awsRequestId } : {}) });
      try {
        outcomes.push(
          await receiveMail(
            { ...deps, logger: log },
            {
              deliveryId: mail.messageId,
              receivedAt: new Date(mail.timestamp).toISOString(),
              rawMailKey: `${deps.config.RawMailPrefix}${mail.messageId}`,
              envelopeSender: mail.source,
              remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined,
              verdicts: {
                spam: receipt.spamVerdict?.status,
                virus: receipt.virusVerdict?.status,
                spf: receipt.spfVerdict?.status,
                dkim: receipt.dkimVerdict?.status,
                dmarc: receipt.dmarcVerdict?.status,
                dmarcPolicy: receipt.dmarcPolicy,
              },
            },
          ),
        );
      } catch (e) {
        // Everything is rethrown: Lambda retries twice, then the failure queue keeps the event for replay.
        deps.metrics.count(e instanceof RawMailMissingError ? 'RawMailMissing' : 'InboundFailed');
        log.error('Inbound mail failed', e as Error);
        throw e;
      }
    }
    return { outcomes };
  }

  return Object.assign(middy(handleSesEvent).use(logMetrics(metrics)), { handleSesEvent });
}
