/** Powertools logger and metrics, one instance per container; the Metrics port wraps them. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from './ports.js';

export const SERVICE = 'one-time-auth-links';
export const NAMESPACE = 'OneTimeAuthLinks';

export function createLogger(): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE });
}

export function createMetrics(): PowertoolsMetrics {
  return new PowertoolsMetrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? NAMESPACE, serviceName: SERVICE });
}

export function metricsPort(metrics: PowertoolsMetrics): Metrics {
  return { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
}

/** The Logger port over Powertools (its signature wants the extra argument spread). */
export function loggerPort(logger: Logger): import('./ports.js').Logger {
  const call = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown> | Error) =>
    extra === undefined ? logger[level](message) : logger[level](message, extra as Record<string, unknown>);
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}
