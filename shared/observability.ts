/**
 * Powertools logger and metrics, one instance per container. The service name (POWERTOOLS_SERVICE_NAME,
 * set per function by infra) is the `service` key of every log line and the service dimension of every
 * metric, so each function reports as itself.
 */
import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from './metric-names.js';
import type { Logger as LoggerPort, Metrics } from './ports/system.js';

export const DEFAULT_SERVICE = 'one-time-auth-links';

/** Service and level from the environment handed in (the local stack runs several functions in one process). */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const logLevel = env.POWERTOOLS_LOG_LEVEL as LogLevel | undefined;
  return new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? DEFAULT_SERVICE, ...(logLevel ? { logLevel } : {}) });
}

type UtilityLogger = NonNullable<NonNullable<ConstructorParameters<typeof PowertoolsMetrics>[0]>['logger']>;

const EMPTY_METRICS_WARNING = 'No application metrics to publish';

/**
 * Where Metrics writes its own warnings (its `logger` option, Powertools' way to control them):
 * where it would write them itself, less the one about an invocation that counted nothing. Such
 * runs are normal here — the outbox relay every few minutes with nothing to relay, a sweep with
 * nothing due — and the warning was a log line each time. Every other warning (a bad dimension,
 * a metric CloudWatch would skip) still goes out; the cold-start metric is not affected.
 */
export function metricsWarnings(out: Pick<Console, 'debug' | 'info' | 'warn' | 'error'> = new Console({ stdout: process.stdout, stderr: process.stderr })): UtilityLogger {
  return {
    debug: (...content) => out.debug(...content),
    info: (...content) => out.info(...content),
    warn: (...content) => (typeof content[0] === 'string' && content[0].startsWith(EMPTY_METRICS_WARNING) ? undefined : out.warn(...content)),
    error: (...content) => out.error(...content),
  };
}

export function createMetrics(env: NodeJS.ProcessEnv = process.env): PowertoolsMetrics {
  // Powertools reads POWERTOOLS_SERVICE_NAME itself; passing a fixed serviceName would override it.
  return new PowertoolsMetrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName: env.POWERTOOLS_SERVICE_NAME ?? DEFAULT_SERVICE, logger: metricsWarnings() });
}

export function metricsPort(metrics: PowertoolsMetrics): Metrics {
  return { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
}

/**
 * The Logger port over Powertools (its signature wants the extra arguments spread). `withKeys`
 * returns a port that adds the keys to each line it writes: an invocation's keys (request id,
 * delivery) never land on the shared instance, so concurrent invocations in one process (the local
 * stack, Lambda's multi-concurrency environments) never print each other's keys. No Powertools
 * child per invocation: building one (and its console) was a measurable share of a portal request
 * under load (bench, --cpu-prof).
 */
export function loggerPort(logger: Logger, keys?: Record<string, unknown>): LoggerPort {
  const call = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown> | Error) => {
    // An error goes under `error`, where Powertools formats it (name, message, stack) as it does a lone one.
    if (extra instanceof Error) return keys ? logger[level](message, { ...keys, error: extra }) : logger[level](message, extra);
    const merged = keys ? { ...keys, ...extra } : extra;
    return merged === undefined ? logger[level](message) : logger[level](message, merged);
  };
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error'), withKeys: (more) => loggerPort(logger, { ...keys, ...more }) };
}
