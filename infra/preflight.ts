/**
 * What a synth refuses because it could not deploy, or could not work once deployed, each time
 * naming what to change: a production deployment with localhost or placeholder addresses or with
 * nobody to mail its alarms to; a region without SES email receiving (ACCEPTED_REGIONS); a portal
 * certificate from another region than the stacks'. Runs once per synth, after infra/context.ts read the keys.
 *
 * The region is known at synth when the CLI resolved an account or CDK_DEPLOY_REGION names it
 * (targetEnvironment). Without it the templates stay region-agnostic, so they deploy anywhere, and
 * carry the two region checks as CloudFormation rules instead: those refuse a stack in a wrong
 * region before CloudFormation creates anything.
 */
import { Aws, CfnRule, Fn, Token, type Environment, type Stack } from 'aws-cdk-lib';
import { CONTEXT_KEYS, ContextError, NO_ALARM_EMAIL, certificateRegion, type OtaContext } from './context.js';

/**
 * The regions we accept: those where SES receives mail (an `inbound-smtp.<region>.amazonaws.com`
 * endpoint). Source: the "Email receiving endpoints" table of AWS's "Amazon Simple Email Service
 * endpoints and quotas" (https://docs.aws.amazon.com/general/latest/gr/ses.html), checked against
 * the regions whose CloudFormation registry has AWS::SES::ReceiptRule. Left out: il-central-1,
 * which receives mail but has no EventBridge schema registry (AWS::EventSchemas::*), a part of the
 * stateless stack. `.ci/run` lints the region-agnostic templates against every region here
 * (.cfnlintrc.yaml repeats the list), and cfn-lint fails on a resource type a region does not
 * have. Commercial partition only; re-check the table when AWS opens receiving somewhere new.
 */
export const ACCEPTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'af-south-1', 'me-south-1', 'ap-south-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
] as const;

/** Environment variables that choose the target when the CLI's profile cannot (CDK's documented pair). */
export const TARGET_VARIABLES = { account: 'CDK_DEPLOY_ACCOUNT', region: 'CDK_DEPLOY_REGION' } as const;

/**
 * Account and region the stacks are made for; either may stay undefined (region-agnostic). The CLI
 * always sets CDK_DEFAULT_REGION, falling back to us-east-1 when no profile names a region, but
 * sets CDK_DEFAULT_ACCOUNT only once credentials resolved: only then is that region the one it
 * deploys to. An offline synth therefore bakes in no region unless CDK_DEPLOY_REGION names one.
 */
export function targetEnvironment(vars: Record<string, string | undefined> = process.env): Environment {
  const chosen = (name: string) => (vars[name] ? vars[name] : undefined);
  const cliAccount = chosen('CDK_DEFAULT_ACCOUNT');
  return {
    account: chosen(TARGET_VARIABLES.account) ?? cliAccount,
    region: chosen(TARGET_VARIABLES.region) ?? (cliAccount ? chosen('CDK_DEFAULT_REGION') : undefined),
  };
}

/** Throws a ContextError naming what to change when the context cannot deploy or work in the region (when known). */
export function checkDeployable(context: OtaContext, region: string | undefined): void {
  if (context.production) checkProduction(context);
  if (region === undefined || Token.isUnresolved(region)) return;
  if (!(ACCEPTED_REGIONS as readonly string[]).includes(region)) {
    throw new ContextError(
      `region ${region} cannot receive mail for these stacks (SES email receiving, EventBridge schema registry): deploy to one ` +
        `of ${ACCEPTED_REGIONS.join(', ')} (the AWS profile's region, AWS_REGION, or ${TARGET_VARIABLES.region})`,
    );
  }
  const certificate = context.customDomain && certificateRegion(context.customDomain.certificateArn);
  if (certificate && certificate !== region) {
    throw new ContextError(
      `${CONTEXT_KEYS.certificateArn}: the certificate is in ${certificate} but the stacks deploy to ${region}; a regional API ` +
        `domain takes its certificate from its own region only: request or import one in ${region}`,
    );
  }
}

/** The same region checks as CloudFormation rules, for a stack whose region is only known at deploy time. */
export function addRegionRules(stack: Stack, context: OtaContext, options: { certificate: boolean }): void {
  if (!Token.isUnresolved(stack.region)) return;
  new CfnRule(stack, 'AcceptedRegion', {
    assertions: [
      {
        assert: Fn.conditionContains([...ACCEPTED_REGIONS], Aws.REGION),
        assertDescription: `These stacks receive mail through SES only in ${ACCEPTED_REGIONS.join(', ')}: deploy to one of them.`,
      },
    ],
  });
  if (!options.certificate || !context.customDomain) return;
  const certificate = certificateRegion(context.customDomain.certificateArn);
  new CfnRule(stack, 'CertificateRegion', {
    assertions: [
      {
        assert: Fn.conditionEquals(Aws.REGION, certificate),
        assertDescription: `${CONTEXT_KEYS.certificateArn} is a certificate in ${certificate}: deploy this stack to ${certificate}, or use a certificate from this region.`,
      },
    ],
  });
}

/**
 * Production serves customers: links on https at a reachable host, replies from a real domain,
 * no placeholder left from cdk.json, and someone (or, said explicitly, nobody) to mail alarms to.
 */
function checkProduction(context: OtaContext): void {
  const hint = `(or set ${CONTEXT_KEYS.production}=false for a test stack)`;
  const { PortalUrl, SupportAddress } = context.config;
  const url = new URL(PortalUrl);
  if (url.protocol !== 'https:') throw new ContextError(`${CONTEXT_KEYS.config}: PortalUrl: a production deployment needs an https URL, got ${PortalUrl} ${hint}`);
  if (isLocalHost(url.hostname)) throw new ContextError(`${CONTEXT_KEYS.config}: PortalUrl: ${url.hostname} is not reachable for customers ${hint}`);
  const domain = domainOf(SupportAddress);
  if (isLocalHost(domain) || !domain.includes('.')) {
    throw new ContextError(`${CONTEXT_KEYS.config}: SupportAddress: ${SupportAddress} cannot receive or send mail through SES ${hint}`);
  }
  const uses = (key: string, value: string, host: string) => {
    const placeholder = placeholderDomain(host);
    if (placeholder) throw new ContextError(`${key}: ${value} uses ${placeholder}, a placeholder domain that reaches nobody: put in your own ${hint}`);
  };
  uses(`${CONTEXT_KEYS.config}: SupportAddress`, SupportAddress, domain);
  uses(`${CONTEXT_KEYS.config}: PortalUrl`, PortalUrl, url.hostname);
  for (const recipient of context.recipients) uses(CONTEXT_KEYS.recipients, recipient, domainOf(recipient));
  for (const email of context.alarmEmails) uses(CONTEXT_KEYS.alarmEmail, email, domainOf(email));
  if (context.alarmEmails.length === 0 && !context.alarmEmailNone) {
    throw new ContextError(
      `${CONTEXT_KEYS.alarmEmail}: a production deployment needs someone to mail its alarms to (an address or a list), ` +
        `or "${NO_ALARM_EMAIL}" to deploy without alarm mail on purpose ${hint}`,
    );
  }
}

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): cdk.json ships example.com. */
const PLACEHOLDER_DOMAINS = ['example.com', 'example.net', 'example.org'];
const PLACEHOLDER_TLDS = ['example', 'test', 'invalid'];

/** The reserved domain a host falls under, if any. */
export function placeholderDomain(host: string): string | undefined {
  const h = host.toLowerCase().replace(/^\.|\.$/g, '');
  const domain = PLACEHOLDER_DOMAINS.find((d) => h === d || h.endsWith(`.${d}`));
  if (domain) return domain;
  const tld = h.slice(h.lastIndexOf('.') + 1);
  return PLACEHOLDER_TLDS.includes(tld) ? `.${tld}` : undefined;
}

/** The domain of an address, or the recipient domain itself (`example.com`, `.example.com`). */
function domainOf(addressOrDomain: string): string {
  return addressOrDomain.slice(addressOrDomain.lastIndexOf('@') + 1);
}

function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || /^127\./.test(h);
}
