/**
 * The portal's routes: the one list the HTTP function dispatches on, CDK turns into API Gateway
 * routes (everything else is API Gateway's own 404) and the local stack matches requests against.
 * Each route takes ANY method, so the function — not the gateway — answers a PUT or a DELETE
 * with a clear page.
 */
export const ROUTES = {
  home: '/',
  link: '/link/{ticket}/{token}',
  tickets: '/tickets',
  ticket: '/tickets/{number}',
  reply: '/tickets/{number}/reply',
  logout: '/logout',
  access: '/access',
  stylesheet: '/static/portal.css',
} as const;

export type RouteName = keyof typeof ROUTES;

/** API Gateway route keys: `ANY /tickets/{number}`. */
export const routeKey = (name: RouteName) => `ANY ${ROUTES[name]}`;

/** The route a path belongs to, with its path parameters (the local stack's API Gateway). */
export function matchRoute(path: string): { name: RouteName; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  for (const [name, pattern] of Object.entries(ROUTES) as [RouteName, string][]) {
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((segment, i) => {
      const got = parts[i] ?? '';
      if (segment.startsWith('{')) {
        if (!got) return false;
        params[segment.slice(1, -1)] = decodeSegment(got);
        return true;
      }
      return segment === got;
    });
    if (ok) return { name, params };
  }
  return undefined;
}

/** API Gateway passes path parameters percent-decoded; an undecodable segment stays as it came. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
