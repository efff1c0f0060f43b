/** The portal's one stylesheet: the same for everyone, so browsers may keep it for a day. */
import { PORTAL_CSS } from '../../../shared/web/portal-css.js';
import type { RouteHandlers } from '../request.js';

export const staticRoutes: RouteHandlers<'stylesheet'> = {
  async stylesheet() {
    return { statusCode: 200, headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }, body: PORTAL_CSS };
  },
};
