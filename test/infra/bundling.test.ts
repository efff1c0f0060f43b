/**
 * The function bundler (infra/bundling.ts): its workaround for the SDK's untree-shakable schemas
 * rewrites only what it should, drops the unused operations, and the clients it bundles still
 * send and still recognise the service's errors, against the local peers.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { App, Stack } from 'aws-cdk-lib';
import { BUNDLE, REPO_ROOT, bundleFunction, literalSchemaKeys } from '../../infra/bundling.js';
import { OtaFunction } from '../../infra/ota-function.js';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/aws-clients.js';
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

describe('bundleFunction', () => {
  let dir: string;
  let bundled: string;
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
    [{ file: bundled }, peers] = await Promise.all([bundleFunction(ENTRY, path.join(dir, 'with-plugin')), startPeers()]);
  });

  afterAll(async () => {
    await peers?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the schemas of SES operations that are never sent, which plain esbuild keeps', async () => {
    // Prepare: the premise. When this fails, the SDK generates literal keys itself
    // (smithy-lang/smithy-typescript#1889) and the plugin can go.
    const plain = path.join(dir, 'plain.mjs');
    await build({
      absWorkingDir: REPO_ROOT, entryPoints: [path.join(REPO_ROOT, ENTRY)], outfile: plain, bundle: true, platform: 'node', format: 'esm',
      target: BUNDLE.target, mainFields: [...BUNDLE.mainFields], banner: { js: BUNDLE.banner }, minify: BUNDLE.minify, keepNames: BUNDLE.keepNames, logLevel: 'silent',
    });
    const plainCode = readFileSync(plain, 'utf8');
    expect(plainCode).toContain(UNUSED_OPERATION);

    // Act
    const code = readFileSync(bundled, 'utf8');

    // Assert
    expect(code).not.toContain(UNUSED_OPERATION);
    expect(code).toContain('"SendEmail"');
    expect(plainCode.length - code.length).toBeGreaterThan(40_000);
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
    expect((await peers.outbox()).map((m) => m.subject)).toEqual(['bundled subject']);
    // The class and its fault come from the rewritten error schema ({ "error": "client", "httpError": 400 }).
    expect(result.refused).toEqual({ name: 'MessageRejected', fault: 'client', message: 'Email address is not verified.' });
    expect(result.failed).toBe(0);
    expect(peers.published().map((e) => [e.detailType, e.detail, e.id])).toEqual([['Bundled', { n: 1 }, result.eventId]]);
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
