/**
 * cdk-nag 3 acknowledges a wildcard finding only by its exact id, e.g.
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/prefix*]`. Deriving the id from
 * the same ARN the grant uses keeps the two from drifting apart.
 * Fn::Join is concatenated, Ref shows as `<Name>`, Fn::GetAtt as `<Name.Attribute>`.
 */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The text cdk-nag uses for a resource in finding ids. */
export function nagResource(scope: Construct, value: string): string {
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = (v ?? {}) as Record<string, unknown>;
    const join = o['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as unknown[]).map(flatten).join(join[0] as string);
    if (typeof o.Ref === 'string') return `<${o.Ref}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    throw new Error(`No cdk-nag finding id for ${JSON.stringify(v)}`);
  };
  return `Resource::${flatten(Stack.of(scope).resolve(value))}`;
}
