/**
 * Physical names both stacks agree on without a cross-stack reference. The raw-mail bucket policy
 * (stateful) names the receipt rule (stateless) in `aws:SourceArn`, and CloudFormation returns no
 * ARN for a receipt rule, so rule set and rule have fixed names. The raw-mail bucket has a fixed
 * name too, so the stateless stack's grant is a readable ARN rather than another stack's output.
 *
 * Every name starts with the stack prefix, so two environments (two prefixes) in one account and
 * region never share a rule, a bucket or a bus, even when their rules sit in one rule set.
 */
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface OtaNames {
  readonly statefulStack: string;
  readonly statelessStack: string;
  /** The rule set our rule goes into: an existing one (ota:receiptRuleSet), or our own `<prefix>-inbound`. */
  readonly receiptRuleSet: string;
  /** True when the rule set is ours to create; false when ota:receiptRuleSet names an existing one. */
  readonly ownReceiptRuleSet: boolean;
  readonly receiptRule: string;
  readonly eventBus: string;
  /** EventBridge schema registry holding the JSON Schema of every event on the bus. */
  readonly schemaRegistry: string;
  /** CloudWatch dashboard of the outcome metrics. */
  readonly dashboard: string;
  /** `<prefix>-raw-mail-<account>-<region>`: bucket names are global, account and region make it ours. */
  readonly rawMailBucket: string;
}

export function otaNames(prefix: string, existingReceiptRuleSet?: string): OtaNames {
  return {
    statefulStack: `${prefix}Stateful`,
    statelessStack: `${prefix}Stateless`,
    receiptRuleSet: existingReceiptRuleSet ?? `${prefix}-inbound`,
    ownReceiptRuleSet: existingReceiptRuleSet === undefined,
    receiptRule: `${prefix}-inbound-mail`,
    eventBus: `${prefix}-events`,
    schemaRegistry: `${prefix}-events`,
    dashboard: `${prefix}-one-time-auth-links`,
    rawMailBucket: `${prefix.toLowerCase()}-raw-mail-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
  };
}

/** ARN of a bucket, built from its name alone (works from either stack). */
export function bucketArn(bucketName: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucketName}`;
}

/** ARN of objects under a key prefix, built from the name alone (works from either stack). */
export function objectsArn(bucketName: string, keyPrefix: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucketName}/${keyPrefix}*`;
}

/** arn:…:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule> (SES's SourceArn for its actions). */
export function receiptRuleArn(scope: Construct, names: OtaNames): string {
  return Stack.of(scope).formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${names.receiptRuleSet}:receipt-rule/${names.receiptRule}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
