/**
 * One set-up for the suites that need the local system: `useLocalSystem()` registers a beforeAll
 * that starts the peers (harness/peers.ts: own table, bucket and bus per suite), then the portals
 * and the Lambda Invoke API asked for, and an afterAll that stops them in the reverse order.
 *
 *   const { peers, portal } = useLocalSystem({ portal: {} });
 *
 * What it returns is bound late: each name stands for what beforeAll started, so the suite uses it
 * in its tests and hooks as it would a variable it had assigned there (before beforeAll ran,
 * reading one throws and says so).
 */
import { afterAll, beforeAll } from '@jest/globals';
import { startLambdaApi, type LambdaApiPeer } from '../../local/lambda-api.js';
import { startPeers, type Peers } from '../../harness/peers.js';
import { startPortal, type Portal, type PortalOptions } from './portal.js';

type LocalFunctions = Parameters<typeof startLambdaApi>[0]['functions'];

export interface LocalSystemOptions<P extends string> {
  /** The HTTP function served on a free port (test/support/portal.ts), with these options. */
  portal?: PortalOptions;
  /** More portals beside it, by name (another SessionScope, another config). */
  portals?: Record<P, PortalOptions>;
  /** Functions served by the local Lambda Invoke API (what the ops CLI calls), built once the rest runs. */
  lambda?: (system: { peers: Peers; portal: Portal }) => LocalFunctions;
}

export interface LocalSystem<P extends string> {
  peers: Peers;
  portal: Portal;
  portals: Record<P, Portal>;
  lambda: LambdaApiPeer;
}

export function useLocalSystem<P extends string = never>(options: LocalSystemOptions<P> = {}): LocalSystem<P> {
  let started: { peers: Peers; portal?: Portal; portals: Partial<Record<P, Portal>>; lambda?: LambdaApiPeer } | undefined;
  const stops: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const peers = await startPeers();
    stops.push(() => peers.stop());
    started = { peers, portals: {} };
    const names = Object.keys(options.portals ?? {}) as P[];
    const [portal, ...named] = await Promise.all([options.portal && startPortal(peers, options.portal), ...names.map((name) => startPortal(peers, options.portals![name]))]);
    for (const p of [portal, ...named]) if (p) stops.push(() => p.stop());
    started.portal = portal || undefined;
    names.forEach((name, i) => (started!.portals[name] = named[i]));
    if (options.lambda) {
      const lambda = await startLambdaApi({ host: '127.0.0.1', port: 0, functions: options.lambda({ peers, portal: started.portal ?? late<Portal>('portal', () => undefined) }) });
      stops.push(() => lambda.close());
      started.lambda = lambda;
    }
  });

  afterAll(async () => {
    // Reverse order: what uses the peers stops before them.
    for (const stop of stops.reverse()) await stop();
    stops.length = 0;
    started = undefined;
  });

  return {
    peers: late('peers', () => started?.peers),
    portal: late('portal', () => started?.portal),
    portals: Object.fromEntries(Object.keys(options.portals ?? {}).map((name) => [name, late(`portals.${name}`, () => started?.portals[name as P])])) as Record<P, Portal>,
    lambda: late('lambda', () => started?.lambda),
  };
}

/** Stands for the object `current()` returns once it exists; reading it before then throws. */
function late<T extends object>(name: string, current: () => T | undefined): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(`useLocalSystem: ${name} is read before its beforeAll started it (or was not asked for)`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const t = target();
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
