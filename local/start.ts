/**
 * `npm start`: the whole system on one machine (§5). Real protocol peers from npm in one
 * process: dynalite, the SES emulator, s3rver, an SMTP listener standing in for SES
 * receiving, and an HTTP server. The functions are the deployed handlers, unchanged.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localFunctionEnv, localSettings } from './settings.js';
import { createTable, startDynamoDb, startS3, startSes } from './peers.js';
import { startSmtpInbound } from './smtp-inbound.js';
import { escapeHtml } from '../shared/html.js';

const log = (line: string) => process.stderr.write(`[ota] ${line}\n`);

async function main() {
  const settings = localSettings();
  const dynamo = await startDynamoDb({ port: settings.dynamodbPort, path: join(settings.dataDir, 'dynamodb') });
  const ses = await startSes({ port: settings.sesPort });
  const s3 = await startS3({ port: settings.s3Port, directory: join(settings.dataDir, 's3'), buckets: [settings.rawMailBucket] });
  await createTable(dynamo.url, settings.tableName);

  // The functions read their wiring from the environment at import, as in Lambda.
  Object.assign(process.env, localFunctionEnv({ ...settings, dynamodbPort: dynamo.port, sesPort: ses.port, s3Port: s3.port }));
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  const { loadConfig } = await import('../shared/config.js');
  const config = loadConfig(); // fails fast, naming the bad key, before anything listens for mail
  const { handler: inboundMail } = await import('../functions/inbound-mail.js');
  const { createS3Client } = await import('../shared/adapters/aws-clients.js');

  const smtp = await startSmtpInbound({
    host: settings.host,
    port: settings.smtpPort,
    s3: createS3Client(),
    bucket: settings.rawMailBucket,
    prefix: config.RawMailPrefix,
    recipients: [config.SupportAddress, ...config.OwnAddresses],
    invoke: (event) => inboundMail(event, lambdaContext('inbound-mail')),
    log,
  });

  const http = createServer((req, res) => {
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>One-time links — local stack</title></head><body>
<h1>One-time links — local stack</h1>
<ul>
<li>Send mail to <code>${escapeHtml(config.SupportAddress)}</code> via SMTP at <code>${settings.host}:${smtp.port}</code></li>
<li>Outbox (SES emulator): <a href="${ses.url}/">${ses.url}/</a></li>
<li>Portal base URL: <code>${escapeHtml(config.PortalUrl)}</code></li>
</ul></body></html>`;
    const known = req.url === '/' || req.url === '/health';
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url === '/health' ? 'ok' : known ? page : 'Not found');
  });
  await new Promise<void>((resolve) => http.listen(settings.httpPort, settings.host, resolve));
  const httpPort = (http.address() as AddressInfo).port;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    http.closeAllConnections();
    await Promise.all([smtp.close(), new Promise((r) => http.close(r)), ses.close(), s3.close()]);
    await dynamo.close(); // last: LevelDB flushes on close, so data survives the restart
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  console.log(
    [
      'ota local stack ready',
      `smtp=smtp://${settings.host}:${smtp.port}`,
      `http=http://${settings.host}:${httpPort}`,
      `ses=${ses.url}/`,
      `dynamodb=${dynamo.url}`,
      `s3=${s3.url}`,
      `support=${config.SupportAddress}`,
      `data=${settings.dataDir}`,
    ].join(' '),
  );
}

function lambdaContext(functionName: string) {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

main().catch((e: unknown) => {
  log(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') log('a port is taken: set OTA_HTTP_PORT, OTA_SMTP_PORT, OTA_SES_PORT, OTA_DYNAMODB_PORT or OTA_S3_PORT');
  process.exit(1);
});
