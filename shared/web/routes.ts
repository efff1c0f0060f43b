/**
 * The portal's route table, as data: each route's path and the methods it takes. The HTTP
 * function dispatches on it (one handler per route: functions/http/routes/), CDK turns it into
 * API Gateway routes (infra/portal-api.ts; any other path is API Gateway's own 404) and the local
 * stack matches requests against it (local/api-gateway.ts). It imports nothing, so neither a
 * synth nor the local gateway loads a use case through it.
 *
 * API Gateway routes each path as ANY: the function, not the gateway, answers a method the route
 * does not take, with a 405 page and an Allow header. HEAD is answered wherever GET is, as GET
 * without the body.
 */
export type Method = 'GET' | 'POST';

export const ROUTES = {
  home: { path: '/', methods: ['GET'] },
  link: { path: '/link/{ticket}/{token}', methods: ['GET', 'POST'] },
  tickets: { path: '/tickets', methods: ['GET'] },
  ticket: { path: '/tickets/{number}', methods: ['GET'] },
  message: { path: '/tickets/{number}/messages/{message}', methods: ['GET'] },
  file: { path: '/tickets/{number}/messages/{message}/files/{file}', methods: ['GET'] },
  reply: { path: '/tickets/{number}/reply', methods: ['POST'] },
  logout: { path: '/logout', methods: ['POST'] },
  access: { path: '/access', methods: ['GET', 'POST'] },
  code: { path: '/code', methods: ['GET', 'POST'] },
  stylesheet: { path: '/static/portal.css', methods: ['GET'] },
} as const satisfies Record<string, { path: `/${string}`; methods: readonly Method[] }>;

export type RouteName = keyof typeof ROUTES;
/** The methods a route's handler is called with (HEAD arrives as GET). */
export type RouteMethod<N extends RouteName> = (typeof ROUTES)[N]['methods'][number];

type ParamsIn<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | ParamsIn<Rest> : never;
/** The path parameters of a route, by name: `{ number: string }` for `/tickets/{number}`. */
export type RouteParams<N extends RouteName> = Record<ParamsIn<(typeof ROUTES)[N]['path']>, string>;

/** API Gateway route keys: `ANY /tickets/{number}`. */
export const routeKey = (name: RouteName) => `ANY ${ROUTES[name].path}`;

/** What a 405 names in its Allow header: the route's methods, HEAD wherever GET. */
export function allowedMethods(name: RouteName): string[] {
  return ROUTES[name].methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
}

/** The method a route's handler answers a request with (HEAD as GET), or undefined when the route does not take it. */
export function routeMethod<N extends RouteName>(name: N, method: string): RouteMethod<N> | undefined {
  const asked = method === 'HEAD' ? 'GET' : method;
  return (ROUTES[name].methods as readonly string[]).includes(asked) ? (asked as RouteMethod<N>) : undefined;
}

/** A route's path with its parameters filled in, each percent-encoded: what a page links to or a redirect names. */
export function pathOf<N extends RouteName>(name: N, ...[params]: [ParamsIn<(typeof ROUTES)[N]['path']>] extends [never] ? [] : [RouteParams<N>]): string {
  const values: Record<string, string> = params ?? {};
  return ROUTES[name].path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(values[key] ?? ''));
}

/** The route a path belongs to, with its path parameters (the local stack's API Gateway). */
export function matchRoute(path: string): { name: RouteName; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const want = ROUTES[name].path.split('/');
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
