/**
 * `/access`: a person asks for a new link with a ticket number and an address. The answer is the
 * same page whatever came of it (shared/use-cases/request-link.ts says why and how).
 */
import { randomUUID } from 'node:crypto';
import { requestLink } from '../../../shared/use-cases/request-link.js';
import { accessFields } from '../../../shared/web/forms.js';
import { page } from '../../../shared/web/http.js';
import { accessPage, accessSentPage } from '../../../shared/web/pages.js';
import { ctx, postedForm, type RouteHandlers } from '../request.js';

export const selfServiceRoutes: RouteHandlers<'access'> = {
  async access(r, method) {
    if (method === 'GET') return page(200, accessPage(ctx(r)));
    const form = postedForm(r);
    const outcome = await requestLink(r.deps, {
      ...accessFields(form),
      sourceIp: r.event.requestContext?.http?.sourceIp ?? '',
      client: r.client.hint,
      requestId: r.client.requestId ?? randomUUID(),
    });
    r.deps.logger.info('Self-service request', { outcome });
    // One page for every outcome: it must not tell whether the ticket and the address belong together.
    return page(200, accessSentPage(ctx(r), { intervalMinutes: r.deps.config.RefreshMinIntervalMinutes }));
  },
};
