/**
 * `npm start`: the whole system on one machine (docs/local-stack.md). Real protocol peers from npm
 * in one process: dynalite, the SES emulator, s3rver, plus the peers this project emulates itself —
 * an SMTP listener standing in for SES receiving, an EventBridge bus, the Lambda Invoke API the CLI
 * uses, and an HTTP server standing in for API Gateway. The functions are the deployed handlers,
 * built by their own factories from the environment a deployed function gets; nothing here
 * implements behaviour.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localFunctionEnv, localSettings } from './settings.js';
import { createTable, startS3, startSes } from './peers.js';
import { startDynamoDbProcess } from './dynamodb-process.js';
import { startEventBus } from './event-bus.js';
import { startLambdaApi, lambdaContext } from './lambda-api.js';
import { startSmtpInbound } from './smtp-inbound.js';
import { apiGateway } from './api-gateway.js';
import { escapeHtml } from '../shared/html.js';
import { helpdeskEventRules } from '../shared/events/helpdesk.js';
import { plural } from '../cli/format.js';
import { removeStackAddress, writeStackAddress } from './stack-address.js';
import { localCodeKey } from './code-key.js';

const log = (line: string) => process.stderr.write(`[ota] ${line}\n`);

/** Lambda's async retry delays, shortened by OTA_LOCAL_RETRY_DELAYS_MS="1000,2000" (tests). */
function retryDelays(): readonly [number, number] | undefined {
  const raw = process.env.OTA_LOCAL_RETRY_DELAYS_MS;
  if (!raw) return undefined;
  const [a, b] = raw.split(',').map(Number);
  if (!Number.isInteger(a) || !Number.isInteger(b)) throw new Error(`OTA_LOCAL_RETRY_DELAYS_MS must be two whole numbers, got "${raw}"`);
  return [a!, b!];
}

/** The configuration override as given (OTA_CONFIG file or OTA_CONFIG_JSON), so defaults can be told apart. */
function configOverride(): Record<string, unknown> {
  const json = process.env.OTA_CONFIG_JSON ?? (process.env.OTA_CONFIG ? readFileSync(process.env.OTA_CONFIG, 'utf8') : undefined);
  try {
    const value: unknown = json ? JSON.parse(json) : {};
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // loadConfig below reports it, naming the problem
  }
}

async function main() {
  const settings = localSettings();
  const delays = retryDelays();
  // In a process of its own: the functions and dynalite each get a core (local/dynamodb-process.ts).
  const dynamo = await startDynamoDbProcess({ port: settings.dynamodbPort, path: join(settings.dataDir, 'dynamodb') });
  const ses = await startSes({ port: settings.sesPort });
  const s3 = await startS3({ port: settings.s3Port, directory: join(settings.dataDir, 's3'), buckets: [settings.rawMailBucket] });
  const bus = await startEventBus({ host: settings.host, port: settings.eventsPort, buses: [settings.eventBusName], log, retryDelaysMs: delays });
  await createTable(dynamo.url, settings.tableName);

  // The portal's address is the one actually listened on, unless PortalUrl is configured.
  const routes: { portal?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const http = createServer((req, res) => {
    if (routes.portal) return routes.portal(req, res);
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }).end('Starting');
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(settings.httpPort, settings.host, resolve);
  });
  const httpPort = (http.address() as AddressInfo).port;
  const override = configOverride();
  if (override.PortalUrl === undefined) process.env.OTA_CONFIG_JSON = JSON.stringify({ ...override, PortalUrl: `http://localhost:${httpPort}` });

  // The functions read their wiring from the environment, as in Lambda.
  const functionEnv = { ...localFunctionEnv({ ...settings, dynamodbPort: dynamo.port, sesPort: ses.port, s3Port: s3.port, eventsPort: bus.port }) };
  Object.assign(process.env, functionEnv);
  // The sign-in codes' key, made once under the data directory (a Secrets Manager secret in AWS).
  process.env.OTA_CODE_KEY ??= localCodeKey(settings.dataDir);
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  const envFor = (service: string) => ({ ...process.env, POWERTOOLS_SERVICE_NAME: service });
  const { loadConfig } = await import('../shared/config.js');
  const config = loadConfig(); // fails fast, naming the bad key, before anything listens for mail
  const [
    { buildInboundDeps },
    inbound,
    { buildHttpDeps },
    httpFunction,
    { buildEventsDeps },
    eventsFunction,
    { buildSweepDeps },
    sweepFunction,
    { createDynamoDbClient },
    { createS3Client },
    { repositories },
    { S3RawMailArchive },
    { findStuckDeliveries },
  ] = await Promise.all([
    import('../functions/inbound-mail/deps.js'),
    import('../functions/inbound-mail/handler.js'),
    import('../functions/http/deps.js'),
    import('../functions/http/handler.js'),
    import('../functions/helpdesk-events/deps.js'),
    import('../functions/helpdesk-events/handler.js'),
    import('../functions/sweep/deps.js'),
    import('../functions/sweep/handler.js'),
    import('../shared/adapters/aws-clients.js'),
    import('../shared/adapters/s3/client.js'),
    import('../shared/adapters/dynamodb/repositories.js'),
    import('../shared/adapters/s3/raw-mail-archive.js'),
    import('../shared/use-cases/find-stuck-deliveries.js'),
  ]);
  const inboundMail = inbound.makeHandler(buildInboundDeps(envFor('inbound-mail')));
  const portal = httpFunction.makeHandler(buildHttpDeps(envFor('http')));
  const helpdeskEvents = eventsFunction.makeHandler(buildEventsDeps(envFor('helpdesk-events')));
  const sweep = sweepFunction.makeHandler(buildSweepDeps(envFor('sweep')));
  type Ctx = Parameters<typeof inboundMail>[1];
  const functions = {
    'inbound-mail': (event: unknown, context: Ctx) => inboundMail(event, context),
    'helpdesk-events': (event: unknown, context: Ctx) => helpdeskEvents(event, context),
    sweep: (event: unknown, context: Ctx) => sweep(event, context),
  };
  // The rules the deployed bus has: helpdesk events and self-service requests go to the helpdesk-events function.
  const helpdeskEventsArn = lambdaContext('helpdesk-events').invokedFunctionArn;
  for (const rule of helpdeskEventRules(config)) bus.subscribe({ ...rule, eventBusName: settings.eventBusName, targetArn: helpdeskEventsArn }, (event) => helpdeskEvents(event, lambdaContext('helpdesk-events')));

  const lambda = await startLambdaApi({ host: settings.host, port: settings.lambdaPort, functions, log, retryDelaysMs: delays });
  const s3Client = createS3Client();
  const smtp = await startSmtpInbound({
    host: settings.host,
    port: settings.smtpPort,
    s3: s3Client,
    bucket: settings.rawMailBucket,
    prefix: config.RawMailPrefix,
    recipients: [config.SupportAddress, ...config.OwnAddresses],
    invoke: (event) => inboundMail(event, lambdaContext('inbound-mail')),
    log,
    retryDelaysMs: delays,
  });

  // The portal through the API Gateway stand-in; two local-only pages beside it.
  const gateway = apiGateway((event, context) => portal(event, context), () => lambdaContext('http'), log);
  const overview = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>One-time links — local stack</title></head><body>
<h1>One-time links — local stack</h1>
<ul>
<li>Send mail to <code>${escapeHtml(config.SupportAddress)}</code> via SMTP at <code>${settings.host}:${smtp.port}</code></li>
<li>Outbox (SES emulator): <a href="${ses.url}/">${ses.url}/</a></li>
<li>Events published: <a href="${bus.url}/">${bus.url}/</a></li>
<li>Portal: <a href="${escapeHtml(config.PortalUrl)}/">${escapeHtml(config.PortalUrl)}/</a></li>
</ul></body></html>`;
  routes.portal = (req, res) => {
    if (req.url === '/_local/health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (req.url === '/_local') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(overview);
    void gateway(req, res).catch((e: unknown) => {
      log(`http: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  // Mail stored before a crash and never settled: nothing of the old process is alive, so every
  // unsettled delivery is handed to the function again, through the same path as new mail.
  const repos = repositories(createDynamoDbClient(), settings.tableName, config);
  const archive = new S3RawMailArchive(s3Client, settings.rawMailBucket, config.RawMailPrefix);
  const { stuck } = await findStuckDeliveries({ config, clock: { now: () => new Date() }, deliveries: repos.deliveries, archive }, { noLiveInvocations: true });
  for (const mail of stuck) smtp.deliver((await archive.read(mail.deliveryId)).bytes, mail.deliveryId, new Date(mail.since), [config.SupportAddress]);
  if (stuck.length) log(`recovering ${plural(stuck.length, 'mail', 'mails')} stored before the last stop but never settled`);

  // The schedules the deployed stack has: the sweep (hourly here, SweepSchedule in AWS) and the outbox relay.
  const minutes = (name: string, fallback: number) => Math.max(0.05, Number(process.env[name] ?? fallback));
  const timers = [
    setInterval(() => void sweep({ source: 'local.timer' }, lambdaContext('sweep', 15 * 60_000)).catch((e: unknown) => log(`sweep failed: ${(e as Error).message}`)), minutes('OTA_SWEEP_INTERVAL_MINUTES', 60) * 60_000),
    setInterval(() => void helpdeskEvents({ task: 'relay-outbox' }, lambdaContext('helpdesk-events')).catch((e: unknown) => log(`outbox relay failed: ${(e as Error).message}`)), minutes('OTA_RELAY_INTERVAL_MINUTES', 1) * 60_000),
  ];

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping`);
    timers.forEach(clearInterval);
    http.closeAllConnections();
    await Promise.all([smtp.close(), new Promise((r) => http.close(r)), ses.close(), s3.close(), bus.close(), lambda.close()]);
    await dynamo.close(); // last: LevelDB flushes on close, so data survives the restart
    removeStackAddress(settings.dataDir);
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  // Stopped by the PID a shell gave for `npm start`: when npm goes, so does the stack.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop('parent process gone'), 500).unref();

  // Recorded before `ready` is printed: whoever waits for that line finds the file.
  const ports = { http: httpPort, smtp: smtp.port, ses: ses.port, dynamodb: dynamo.port, s3: s3.port, events: bus.port, lambda: lambda.port };
  const addressFile = writeStackAddress(settings.dataDir, { pid: process.pid, startedAt: new Date().toISOString(), host: settings.host, ports, portal: config.PortalUrl, eventBusName: settings.eventBusName });
  console.log(
    [
      'ota local stack ready',
      `smtp=smtp://${settings.host}:${smtp.port}`,
      `http=http://${settings.host}:${httpPort}`,
      `portal=${config.PortalUrl}`,
      `overview=http://${settings.host}:${httpPort}/_local`,
      `ses=${ses.url}/`,
      `events=${bus.url}/`,
      `lambda=${lambda.url}`,
      `dynamodb=${dynamo.url}`,
      `s3=${s3.url}`,
      `support=${config.SupportAddress}`,
      `bus=${settings.eventBusName}`,
      `data=${settings.dataDir}`,
    ].join(' '),
  );
  log(`addresses recorded in ${addressFile} (the ops CLI reads them)`);
  log(`event bus ${settings.eventBusName} at ${bus.url} (PutEvents; PutRule and PutTargets with HTTP targets on this machine): the AWS CLI or SDK needs some credentials set to sign with, any are accepted, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`);
}

main().catch((e: unknown) => {
  log(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') log('a port is taken: set OTA_HTTP_PORT, OTA_SMTP_PORT, OTA_SES_PORT, OTA_DYNAMODB_PORT, OTA_S3_PORT, OTA_EVENTS_PORT or OTA_LAMBDA_PORT');
  process.exit(1);
});
