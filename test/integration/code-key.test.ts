/**
 * Where the sign-in codes' key comes from (shared/code-key.ts): in AWS the Secrets Manager secret
 * the stateful stack generated, read through Powertools' SecretsProvider with the SDK's own client
 * over HTTP — here against a stand-in that answers GetSecretValue as Secrets Manager does (no
 * Secrets Manager peer exists on npm); locally the key itself in OTA_CODE_KEY.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeKeyFrom } from '../../shared/code-key.js';
import { PermanentError } from '../../shared/errors.js';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:OtaStatefulCodeKey-AbCdEf';
const KEY = 'k'.repeat(40) + 'Generated64CharactersOfLettersAndDigits';

let server: Server;
let endpoint: string;
const seen: { target?: string; secretId?: unknown }[] = [];
let answer: { status: number; type?: string; body: unknown } = { status: 200, body: { ARN, Name: 'OtaStatefulCodeKey', SecretString: KEY, VersionId: 'v1' } };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ target: req.headers['x-amz-target'] as string | undefined, secretId: (JSON.parse(body || '{}') as { SecretId?: unknown }).SecretId });
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...(answer.type ? { 'x-amzn-errortype': answer.type } : {}) });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const awsEnv = () => ({ OTA_CODE_KEY_SECRET: ARN, OTA_SECRETS_ENDPOINT: endpoint, AWS_REGION: 'eu-central-1' });

describe('the code key in AWS (Secrets Manager)', () => {
  it('is read once with GetSecretValue of the secret’s ARN, and kept', async () => {
    // Prepare
    seen.length = 0;
    answer = { status: 200, body: { ARN, Name: 'OtaStatefulCodeKey', SecretString: KEY, VersionId: 'v1' } };
    const key = codeKeyFrom(awsEnv());

    // Act
    const [a, b] = await Promise.all([key.get(), key.get()]);
    const c = await key.get();

    // Assert
    expect(Buffer.from(a).toString('utf8')).toBe(KEY);
    expect([b, c].map((k) => Buffer.from(k).toString('utf8'))).toEqual([KEY, KEY]);
    expect(seen).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: ARN }]);
  });

  it('fails for good when the secret is missing, and names what it tried', async () => {
    // Prepare
    answer = { status: 400, type: 'ResourceNotFoundException', body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." } };

    // Act
    const failure = await codeKeyFrom(awsEnv())
      .get()
      .then(() => undefined, (e: unknown) => e);

    // Assert
    expect(failure).toBeInstanceOf(PermanentError);
    expect(String(failure)).toMatch(/GetSecretValue of the code key failed: ResourceNotFoundException/);
  });

  it('refuses a secret too short to be a generated key', async () => {
    answer = { status: 200, body: { ARN, Name: 'OtaStatefulCodeKey', SecretString: 'short', VersionId: 'v2' } };

    await expect(codeKeyFrom(awsEnv()).get()).rejects.toThrow(/no key of at least 32 characters/);
  });
});

describe('the code key on this machine', () => {
  it('is the key in OTA_CODE_KEY, without asking Secrets Manager', async () => {
    seen.length = 0;
    const raw = Buffer.alloc(32, 9);

    const key = await codeKeyFrom({ ...awsEnv(), OTA_CODE_KEY: raw.toString('base64url') }).get();

    expect(Buffer.from(key)).toEqual(raw);
    expect(seen).toEqual([]);
  });

  it('refuses a key shorter than 256 bits, and says which variable is missing when there is none', async () => {
    expect(() => codeKeyFrom({ OTA_CODE_KEY: Buffer.alloc(16).toString('base64url') })).toThrow(/at least 32 bytes/);
    await expect(codeKeyFrom({}).get()).rejects.toThrow(/OTA_CODE_KEY_SECRET/);
  });
});
