/**
 * The yardstick of the bundle and cold-start targets (bench/README.md): the least a DynamoDB-backed
 * function can be — a document client made once at module scope and one GetCommand per invocation.
 * Bundled and cold-imported exactly as the functions are (bench/baseline.ts), so theirs are
 * reported as ratios to it. No endpoint or credential handling of its own: the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB and the AWS_* credentials from the environment, which is all the
 * bench's invocation check needs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { pk: string; sk: string }) => {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.OTA_TABLE_NAME, Key: { pk: event.pk, sk: event.sk } }));
  return Item;
};
