/**
 * Least-privilege policy statements for our functions: exact actions on exact resources. Index
 * ARNs are listed by name (from the shared table definition) rather than `index/*`.
 */
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { INDEXES } from '../shared/adapters/dynamodb/table-definition.js';
import { objectsArn } from './names.js';

/**
 * Item-level DynamoDB actions. There is no IAM action for TransactWriteItems/TransactGetItems:
 * each part of a transaction is authorised as its own PutItem/UpdateItem/DeleteItem/ConditionCheckItem.
 */
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem';

/** Item actions on the table; `query` adds dynamodb:Query on the table and each named index. */
export function tableGrants(table: ITable, itemActions: ItemAction[], options: { query: boolean }): PolicyStatement[] {
  const statements = [new PolicyStatement({ actions: itemActions, resources: [table.tableArn] })];
  if (options.query) {
    const indexArns = Object.values(INDEXES).map((i) => `${table.tableArn}/index/${i.name}`);
    statements.push(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn, ...indexArns] }));
  }
  return statements;
}

/**
 * Read raw MIME that SES stored under the prefix. Object keys are SES message ids, unknown in
 * advance, so this is the one statement with a wildcard; acknowledged where it is used.
 */
export function rawMailReadGrant(bucketName: string, prefix: string): PolicyStatement {
  return new PolicyStatement({ actions: ['s3:GetObject'], resources: [objectsArn(bucketName, prefix)] });
}

/**
 * Send as the support address. SES authorises against the verified identity: the domain when the
 * domain is verified, the address when only the address is; both are named so either setup works.
 */
export function sesSendGrant(scope: Construct, address: string): PolicyStatement {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const identity = (name: string) => Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  return new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identity(domain), identity(address)] });
}
