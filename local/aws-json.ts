/** The awsJson1_1 protocol of the local EventBridge: answers and errors as the SDK and the AWS CLI read them. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const JSON_1_1 = 'application/x-amz-json-1.1';

/** An error the caller made: answered with its EventBridge type (`__type`) and a 400 unless said otherwise. */
export class ClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_1_1): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}
