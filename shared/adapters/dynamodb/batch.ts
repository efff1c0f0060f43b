/** BatchGet / BatchWrite until nothing is left unprocessed (throttled keys come back). */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RetryableError } from '../../errors.js';
import type { Key } from './keys.js';

type Item = Record<string, unknown>;
const MAX_ROUNDS = 5;
const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));

export async function batchGet(db: DynamoDBDocumentClient, table: string, keyList: Key[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keyList.map((k) => [keyOf(k), k])).values()];
  let pending: Item[] = unique;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new RetryableError('BatchGet kept returning unprocessed keys');
    if (round > 0) await backoff(round);
    const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending.slice(0, 100), ConsistentRead: true } } }));
    for (const item of out.Responses?.[table] ?? []) found.set(keyOf(item as Key), item);
    pending = [...(out.UnprocessedKeys?.[table]?.Keys ?? []), ...pending.slice(100)];
  }
  return found;
}

export async function batchPut(db: DynamoDBDocumentClient, table: string, items: Item[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new RetryableError('BatchWrite kept returning unprocessed items');
    if (round > 0) await backoff(round);
    const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending.slice(0, 25) } }));
    pending = [...((out.UnprocessedItems?.[table] as typeof pending | undefined) ?? []), ...pending.slice(25)];
  }
}

export const keyOf = (k: Key) => `${k.pk}|${k.sk}`;
