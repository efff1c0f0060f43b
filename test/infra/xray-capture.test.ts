/**
 * With ota:tracing on, Lambda sets AWS_XRAY_DAEMON_ADDRESS and a trace header per invocation; every
 * SDK call of a sampled invocation must then reach the daemon as a subsegment of the function's
 * segment (shared/adapters/aws-clients.ts). A UDP socket stands in for the daemon, a local HTTP
 * server for DynamoDB.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, parseTraceHeader } from '../../shared/adapters/aws-clients.js';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';
let daemon: Socket;
let dynamo: Server;
let status = 200;
const received: string[] = [];

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (m) => received.push(m.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  dynamo = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = status === 200 ? '{"Item":{"pk":{"S":"a"},"sk":{"S":"b"}}}' : '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}';
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'REQ123' }).end(body);
    });
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  daemon.close();
  await new Promise((resolve) => dynamo.close(resolve));
});

function env(trace: string | undefined) {
  return {
    OTA_DYNAMODB_ENDPOINT: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    AWS_REGION: 'eu-west-1',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    ...(trace ? { _X_AMZN_TRACE_ID: trace } : {}),
  };
}

async function datagrams(count: number): Promise<string[]> {
  for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return received.splice(0);
}

describe('X-Ray capture of SDK clients', () => {
  it('sends one subsegment per call of a sampled invocation, as the X-Ray daemon expects it', async () => {
    // Prepare
    const db = createDynamoDbClient(env(`Root=${ROOT};Parent=${PARENT};Sampled=1;Lineage=a:1`));
    // Act
    await db.send(new GetCommand({ TableName: 'ota-test', Key: { pk: 'a', sk: 'b' } }));
    // Assert
    const [datagram] = await datagrams(1);
    const [header, body] = datagram!.split('\n');
    expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
    const segment = JSON.parse(body!) as Record<string, unknown>;
    expect(segment).toMatchObject({
      trace_id: ROOT,
      parent_id: PARENT,
      type: 'subsegment',
      namespace: 'aws',
      name: 'DynamoDB',
      aws: { operation: 'GetItem', region: 'eu-west-1', request_id: 'REQ123', retries: 0, table_name: 'ota-test' },
      http: { response: { status: 200 } },
    });
    expect(segment.id).toMatch(/^[0-9a-f]{16}$/);
    expect(segment.end_time as number).toBeGreaterThanOrEqual(segment.start_time as number);
    // Keys and values never leave: they may hold a token hash or an address.
    expect(body).not.toContain('"pk"');
    db.destroy();
  });

  it('marks a call that failed with a 4xx as an error, with the exception type', async () => {
    status = 400;
    const db = createDynamoDbClient(env(`Root=${ROOT};Parent=${PARENT};Sampled=1`));
    await expect(db.send(new GetCommand({ TableName: 'missing', Key: { pk: 'a', sk: 'b' } }))).rejects.toThrow('no table');
    const segment = JSON.parse((await datagrams(1))[0]!.split('\n')[1]!) as Record<string, unknown>;
    expect(segment).toMatchObject({ error: true, http: { response: { status: 400 } }, cause: { exceptions: [{ type: 'ResourceNotFoundException', remote: true }] } });
    expect(segment.fault).toBeUndefined();
    status = 200;
    db.destroy();
  });

  it('sends nothing for an unsampled invocation, or outside Lambda', async () => {
    for (const trace of [`Root=${ROOT};Parent=${PARENT};Sampled=0`, undefined]) {
      const db = createDynamoDbClient(env(trace));
      await db.send(new GetCommand({ TableName: 'ota-test', Key: { pk: 'a', sk: 'b' } }));
      db.destroy();
    }
    const untraced = createDynamoDbClient({ ...env(`Root=${ROOT};Parent=${PARENT};Sampled=1`), AWS_XRAY_DAEMON_ADDRESS: undefined });
    await untraced.send(new GetCommand({ TableName: 'ota-test', Key: { pk: 'a', sk: 'b' } }));
    untraced.destroy();
    expect(await datagrams(1)).toEqual([]);
  });

  it('reads the trace header Lambda sets', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=${PARENT};Sampled=1`)).toEqual({ root: ROOT, parent: PARENT });
    expect(parseTraceHeader(`Root=${ROOT};Sampled=1`)).toBeUndefined();
    expect(parseTraceHeader('')).toBeUndefined();
  });
});
