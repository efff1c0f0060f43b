/**
 * The function bundler (infra/bundling.ts): its workaround for the SDK's untree-shakable schemas
 * rewrites only what it should, drops the unused operations, and the clients it bundles still
 * send and still recognise the service's errors, against the local peers. Its split leaves out of
 * a cold start what Lambda never needs (the SDK's other credential providers), the HTTP
 * function's senders and what only `/code` needs (the use case, the code key's Secrets Manager
 * client and Powertools' parameters), and the bundled HTTP function still loads them when a
 * code signs in and a refresh mails a link.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { App, Stack } from 'aws-cdk-lib';
import { BUNDLE, BUNDLE_FILE, REPO_ROOT, bundleFunction, literalSchemaKeys, type OutputsByLoad } from '../../infra/bundling.js';
import { OtaFunction } from '../../infra/ota-function.js';
import { apiGatewayEvent } from '../../local/api-gateway.js';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/aws-clients.js';
import { DEFAULTS } from '../../shared/config-defaults.js';
import { ENV } from '../../shared/env.js';
import { matchRoute } from '../../shared/web/routes.js';
import { inboundHarness, TEST_CONFIG } from '../support/inbound.js';
import { mime } from '../support/mail.js';
import { latestLink } from '../support/portal.js';
import { startPeers, type Peers } from '../support/peers.js';

const ENTRY = 'test/support/bundled-sdk-clients.ts';
/** An SES operation no function calls: its schema is what tree-shaking must drop. */
const UNUSED_OPERATION = '"CreateContactList"';

describe('literalSchemaKeys', () => {
  it('turns a computed trait key naming a module string into that string', () => {
    // Prepare: the shape the SDK generates.
    const source = ['const _e = "error";', 'const _hE = "httpError";', 'const _c = "client";', 'export var E$ = [-3, n0, "E", { [_e]: _c, [_hE]: 400 }, [], []];'].join('\n');

    // Act
    const out = literalSchemaKeys(source);

    // Assert: keys are literals now, values (and the string table) untouched.
    expect(out).toContain('{ "error": _c, "httpError": 400 }');
    expect(out).toContain('const _c = "client";');
  });

  it('leaves member access, unknown names and non-string constants alone', () => {
    const source = ['const _e = "error";', 'const _n = 3;', 'const v = x ? y[_e]: z;', 'const o = { [_n]: 1, [_other]: 2 };'].join('\n');

    expect(literalSchemaKeys(source)).toBe(source);
  });
});

/** A form post of one of the portal's pages (the link's button, the code form), as API Gateway hands it to the function. */
function formPost(path: string, portalUrl: string, fields: Record<string, string> = {}) {
  const route = matchRoute(path);
  if (!route) throw new Error(`no route for ${path}`);
  const request = { method: 'POST', url: path, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' }, headers: { origin: portalUrl, host: new URL(portalUrl).host, 'content-type': 'application/x-www-form-urlencoded' } };
  return apiGatewayEvent(request as unknown as IncomingMessage, Buffer.from(new URLSearchParams(fields).toString()), route.name, route.params);
}

/** The source files that went into some of a build's outputs. */
const inputsOf = (metafile: Metafile, outs: string[]) => outs.flatMap((out) => Object.keys(metafile.outputs[out]!.inputs));

/** Bytes SES's generated schema modules put into a build's outputs. */
function sesSchemaBytes(metafile: Metafile): number {
  const outputs = Object.values(metafile.outputs).flatMap((out) => Object.entries(out.inputs));
  return outputs.filter(([input]) => /client-sesv2\/dist-es\/schemas\//.test(input)).reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
}

describe('bundleFunction', () => {
  let dir: string;
  let bundled: string;
  let metafile: Metafile;
  let loads: OutputsByLoad;
  /** The HTTP function, bundled as deployed. */
  let httpBundle: Awaited<ReturnType<typeof bundleFunction>>;
  let peers: Peers;
  let refuser: Server | undefined;

  /** Answers every request as SES does a send from an unverified address (REST-JSON error, type in a header). */
  async function refusingPeer(): Promise<string> {
    refuser = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' });
      res.end(JSON.stringify({ message: 'Email address is not verified.' }));
    });
    await new Promise<void>((resolve) => refuser!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(refuser.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ota-bundle-'));
    [{ file: bundled, metafile, loads }, httpBundle, peers] = await Promise.all([
      bundleFunction(ENTRY, path.join(dir, 'with-plugin')),
      bundleFunction('functions/http/index.ts', path.join(dir, 'http')),
      startPeers(),
    ]);
  });

  afterAll(async () => {
    await peers?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the schemas of SES operations that are never sent, which plain esbuild keeps', async () => {
    // Prepare: the premise. When this fails, the SDK generates literal keys itself
    // (smithy-lang/smithy-typescript#1889) and the plugin can go.
    const plain = await build({
      absWorkingDir: REPO_ROOT, entryPoints: [path.join(REPO_ROOT, ENTRY)], outfile: path.join(dir, 'plain.mjs'), bundle: true, platform: 'node', format: 'esm',
      target: BUNDLE.target, mainFields: [...BUNDLE.mainFields], banner: { js: BUNDLE.banner }, minify: BUNDLE.minify, keepNames: BUNDLE.keepNames, metafile: true, logLevel: 'silent',
    });
    const plainCode = readFileSync(path.join(dir, 'plain.mjs'), 'utf8');
    expect(plainCode).toContain(UNUSED_OPERATION);

    // Act: the entry and all its chunks, lazy ones too (what is deployed).
    const code = [...loads.coldStart, ...loads.lazy].map((out) => readFileSync(path.resolve(REPO_ROOT, out), 'utf8')).join('\n');

    // Assert
    expect(code).not.toContain(UNUSED_OPERATION);
    expect(code).toContain('"SendEmail"');
    expect(sesSchemaBytes(plain.metafile) - sesSchemaBytes(metafile)).toBeGreaterThan(40_000);
  });

  it('splits the credential providers Lambda never asks off what a cold start loads, and sends without them', async () => {
    // Prepare: a copy of the bundle without its lazy chunks, as if they could not be read.
    const { coldStart, lazy } = loads;
    const lean = path.join(dir, 'cold-start-only');
    cpSync(path.dirname(bundled), lean, { recursive: true });
    for (const out of lazy) rmSync(path.join(lean, path.relative(path.dirname(bundled), path.resolve(REPO_ROOT, out))));

    // Act: credentials from the environment, as Lambda hands them to the default chain.
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(path.join(lean, BUNDLE_FILE)).href)});
      const bus = new m.EventBridgeClient({ region: 'us-east-1', endpoint: ${JSON.stringify(peers.bus.url)} });
      const put = await bus.send(new m.PutEventsCommand({ Entries: [{ Source: 'ota.bundle-test', DetailType: 'EnvCredentials', Detail: '{}', EventBusName: 'ota-test' }] }));
      console.log(JSON.stringify({ failed: put.FailedEntryCount }));
    `;
    const env = { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: 'session' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env });

    // Assert: the SSO, INI, web-identity, process and login providers (and the STS/SSO clients
    // they use) are chunks a cold start does not load; the environment's credentials need none of them.
    const providers = /@aws-sdk\/(credential-provider-(sso|ini|web-identity|process|login)|nested-clients)\//;
    expect(inputsOf(metafile, lazy).filter((input) => providers.test(input)).length).toBeGreaterThan(5);
    expect(inputsOf(metafile, coldStart).filter((input) => providers.test(input))).toEqual([]);
    expect(JSON.parse(stdout)).toEqual({ failed: 0 });
    expect(peers.published().map((e) => e.detailType)).toContain('EnvCredentials');
  });

  it("leaves the HTTP function's senders out of its cold start: SES and EventBridge come in a chunk of their own", async () => {
    // Prepare
    const { metafile: http, loads: httpLoads } = httpBundle;

    // Assert: the landing page, a redeem and a portal page load no sender; the mail and event
    // paths import shared/senders.ts, whose chunk holds both clients.
    const senders = /@aws-sdk\/client-(sesv2|eventbridge)\/|shared\/senders\.ts$/;
    expect(inputsOf(http, httpLoads.coldStart).filter((input) => senders.test(input))).toEqual([]);
    const chunk = httpLoads.lazy.find((out) => inputsOf(http, [out]).some((input) => input.endsWith('shared/senders.ts')));
    expect(inputsOf(http, chunk ? [chunk] : [])).toEqual(
      expect.arrayContaining([expect.stringMatching(/client-sesv2\/dist-es\/SESv2Client\.js$/), expect.stringMatching(/client-eventbridge\/dist-es\/EventBridgeClient\.js$/)]),
    );
  });

  it("leaves what only files need out of the HTTP function's cold start: the S3 client, the presigner and busboy load on first use", () => {
    // Prepare
    const { metafile: http, loads: httpLoads } = httpBundle;
    const files = /@aws-sdk\/(client-s3|s3-request-presigner)\/|node_modules\/busboy\/|shared\/files\.ts$|functions\/http\/multipart\.ts$/;

    // Assert: a landing page, a redeem and a ticket page load none of it; the deployed bundle has all of it, lazily
    expect(inputsOf(http, httpLoads.coldStart).filter((input) => files.test(input))).toEqual([]);
    const lazy = inputsOf(http, httpLoads.lazy);
    for (const part of [/client-s3\/dist-es\/S3Client\.js$/, /s3-request-presigner\/dist-es\/getSignedUrl\.js$/, /node_modules\/busboy\/lib\/index\.js$/, /functions\/http\/multipart\.ts$/]) {
      expect(lazy.some((input) => part.test(input))).toBe(true);
    }
  });

  it("leaves what only /code needs out of the HTTP function's cold start: the use case and the code key's client", async () => {
    // Prepare
    const { metafile: http, loads: httpLoads } = httpBundle;

    // Assert: the landing page loads none of it; the code route imports the use case on its first post.
    const onlyCode = /shared\/use-cases\/sign-in-with-code\.ts$|client-secrets-manager\/|@aws-lambda-powertools\/parameters\/|shared\/adapters\/secrets\//;
    expect(inputsOf(http, httpLoads.coldStart).filter((input) => onlyCode.test(input))).toEqual([]);
    expect(inputsOf(http, httpLoads.lazy)).toEqual(
      expect.arrayContaining([expect.stringMatching(/shared\/use-cases\/sign-in-with-code\.ts$/), expect.stringMatching(/client-secrets-manager\/dist-es\/SecretsManagerClient\.js$/)]),
    );
  });

  it('runs the bundled HTTP function through a code sign-in and a refresh: its chunks load when asked, and a new link is mailed', async () => {
    // Prepare: a customer's ticket and the link and code of its auto-reply; the bundle as deployed.
    const inbound = inboundHarness(peers);
    inbound.clock.set(new Date().toISOString());
    const customer = 'bundled-refresh@example.org';
    expect(await inbound.deliver('bundled-refresh', await mime({ from: customer, subject: 'Printer on fire' }))).toBe('replied');
    const link = await latestLink(peers, customer);
    const post = formPost(link.path, TEST_CONFIG.PortalUrl);
    const code = formPost('/code', TEST_CONFIG.PortalUrl, { ticketNumber: link.ticketNumber, code: link.code.toLowerCase() });

    // Act: in a fresh process with the deployed environment, the link posted, the code typed, the link posted again.
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(httpBundle.file).href)});
      const context = { functionName: 'http', awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 30000 };
      const answers = [];
      for (const event of JSON.parse(process.env.EVENTS)) {
        const r = await handler(event, context);
        answers.push({ status: r.statusCode, location: r.headers?.Location, body: r.body });
      }
      console.log(JSON.stringify(answers));
    `;
    const env = { PATH: process.env.PATH ?? '', ...peers.env, [ENV.configJson]: JSON.stringify(TEST_CONFIG), EVENTS: JSON.stringify([post, code, post]) };
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env });
    const [first, withCode, second] = JSON.parse(stdout) as { status: number; location?: string; body: string }[];

    // Assert: the first spends the link; the code route loads its chunk and signs in with the
    // code; the second post finds link and code spent and no newer ones, so the refresh path
    // imports the senders chunk and mails a new link through SES.
    expect(first).toMatchObject({ status: 303, location: `/tickets/${link.ticketNumber}` });
    expect(withCode).toMatchObject({ status: 303, location: `/tickets/${link.ticketNumber}` });
    expect(second!.status).toBe(200);
    expect(second!.body).toContain(DEFAULTS.CustomerErrorMessageNewLink.en);
    const fresh = await latestLink(peers, customer);
    expect(fresh.count).toBe(link.count + 1);
    expect(fresh.token).not.toBe(link.token);
  });

  it('bundles clients that send to SES and EventBridge and recognise a service error by its name', async () => {
    // Prepare: SES's refusal as it comes over the wire (the emulator answers errors without a type).
    const refusingSes = await refusingPeer();
    // Act: in a fresh process, as in Lambda, nothing of the test's own SDK loaded.
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(bundled).href)});
      const opts = { region: 'us-east-1', credentials: ${JSON.stringify(LOCAL_CREDENTIALS)} };
      const ses = new m.SESv2Client({ ...opts, endpoint: ${JSON.stringify(peers.ses.url)} });
      const sent = await ses.send(new m.SendEmailCommand({ FromEmailAddress: 'help@example.org', Destination: { ToAddresses: ['someone@example.org'] },
        Content: { Simple: { Subject: { Data: 'bundled subject' }, Body: { Text: { Data: 'bundled body' } } } } }));
      const refusing = new m.SESv2Client({ ...opts, endpoint: ${JSON.stringify(refusingSes)}, maxAttempts: 1 });
      const refused = await refusing.send(new m.SendEmailCommand({ FromEmailAddress: 'help@example.org', Destination: { ToAddresses: ['someone@example.org'] }, Content: { Raw: { Data: new Uint8Array([1]) } } }))
        .then(() => ({}), (e) => ({ name: e.name, fault: e.$fault, message: e.message }));
      const bus = new m.EventBridgeClient({ ...opts, endpoint: ${JSON.stringify(peers.bus.url)} });
      const put = await bus.send(new m.PutEventsCommand({ Entries: [{ Source: 'ota.bundle-test', DetailType: 'Bundled', Detail: '{"n":1}', EventBusName: 'ota-test' }] }));
      console.log(JSON.stringify({ messageId: sent.MessageId, refused, failed: put.FailedEntryCount, eventId: put.Entries?.[0]?.EventId }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '' } }).finally(() => refuser?.close());
    const result = JSON.parse(stdout) as { messageId?: string; refused: { name?: string; fault?: string; message?: string }; failed: number; eventId?: string };

    // Assert: the mail and the event arrived; the refusal came back as SES's own error class.
    expect(result.messageId).toEqual(expect.any(String));
    expect((await peers.outbox('someone@example.org')).map((m) => m.subject)).toEqual(['bundled subject']);
    // The class and its fault come from the rewritten error schema ({ "error": "client", "httpError": 400 }).
    expect(result.refused).toEqual({ name: 'MessageRejected', fault: 'client', message: 'Email address is not verified.' });
    expect(result.failed).toBe(0);
    expect(peers.published().filter((e) => e.detailType === 'Bundled').map((e) => [e.detail, e.id])).toEqual([[{ n: 1 }, result.eventId]]);
  });
});

describe('OtaFunction bundling', () => {
  it('fails the synth naming the entry when its bundle cannot be built', () => {
    // Prepare: an entry that does not exist.
    const stack = new Stack(new App(), 'BundlingFails');

    // Act / Assert: no placeholder asset, no Docker fallback: the synth stops here.
    expect(() => new OtaFunction(stack, 'Missing', { entry: 'functions/missing/index.ts', serviceName: 'missing', description: 'no such entry' })).toThrow(
      /bundling functions\/missing\/index\.ts failed \(exit 1\):\n[^]*Could not resolve/,
    );
  });
});
