import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildOtaApp } from '../../infra/ota-app.js';
import { CONTEXT_DEFAULTS, CONTEXT_KEYS, ContextError, readContext } from '../../infra/context.js';

// Context is read before any construct is made, so these tests never bundle.
const REQUIRED = { SupportAddress: 'help@acme-helpdesk.eu', PortalUrl: 'https://help.acme-helpdesk.eu' };
const synthWith = (context: Record<string, unknown>) => () => buildOtaApp(new App({ context }));
const contextOf = (context: Record<string, unknown>) => readContext(new App({ context }).node);
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

describe('ota:config', () => {
  it('fails synth naming the bad key', () => {
    expect(synthWith({ 'ota:config': { ...REQUIRED, AccessDaysAfterClose: -1 } })).toThrow(/AccessDaysAfterClose/);
    expect(synthWith({ 'ota:config': JSON.stringify({ ...REQUIRED, AccessDaysAfterClose: -1 }) })).toThrow(/AccessDaysAfterClose/);
    expect(synthWith({ 'ota:config': { ...REQUIRED, AccessDaysAfterClose: -1 } })).toThrow(new RegExp('^ota:config: Invalid configuration: AccessDaysAfterClose: '));
  });

  it('fails synth on an unknown key or JSON that does not parse', () => {
    expect(synthWith({ 'ota:config': { ...REQUIRED, AccesDaysAfterClose: 3 } })).toThrow(/unknown key\(s\) AccesDaysAfterClose/);
    expect(synthWith({ 'ota:config': '{"SupportAddress": ' })).toThrow(/ota:config: not valid JSON/);
    expect(synthWith({ 'ota:config': '[1]' })).toThrow(/ota:config: expected a JSON object/);
  });

  it.each([['SupportAddress'], ['PortalUrl']])('fails synth when %s is missing: the defaults only suit the local stack', (key) => {
    const { [key as keyof typeof REQUIRED]: _left, ...rest } = REQUIRED;
    expect(synthWith({ 'ota:config': rest })).toThrow(new RegExp(`^ota:config: ${key} required`));
    expect(synthWith({})).toThrow(/ota:config: SupportAddress, PortalUrl required/);
  });

  it.each([
    ['http://help.acme-helpdesk.eu', /PortalUrl: a production deployment needs an https URL/],
    ['https://localhost:3000', /PortalUrl: localhost is not reachable/],
    ['https://127.0.0.1', /PortalUrl: 127\.0\.0\.1 is not reachable/],
  ])('a production synth refuses PortalUrl %s', (url, message) => {
    expect(synthWith({ 'ota:config': { ...REQUIRED, PortalUrl: url } })).toThrow(message);
    // A test stack may (ota:production=false).
    expect(contextOf({ 'ota:config': { ...REQUIRED, PortalUrl: url }, 'ota:production': 'false' }).config.PortalUrl).toContain(url.replace(/\/$/, ''));
  });

  it('a production synth refuses a support address SES cannot use', () => {
    expect(synthWith({ 'ota:config': { ...REQUIRED, SupportAddress: 'support@localhost' } })).toThrow(/SupportAddress: support@localhost cannot receive/);
  });

  it('accepts an object from cdk.json or a JSON string from -c, and passes the override on as given', () => {
    const override = { ...REQUIRED, SupportAddress: 'Help@Acme-Helpdesk.eu', AccessDaysAfterClose: 3 };
    for (const value of [override, JSON.stringify(override)]) {
      const context = contextOf({ 'ota:config': value });
      expect(context.config.AccessDaysAfterClose).toBe(3);
      expect(context.config.SupportAddress).toBe('help@acme-helpdesk.eu');
      expect(context.configJson).toBe(JSON.stringify(override));
    }
  });

  it('refuses an override too large for the Lambda environment', () => {
    const huge = { ...REQUIRED, CustomerErrorMessageLinkExpired: 'x'.repeat(4000) };
    expect(synthWith({ 'ota:config': huge })).toThrow(/ota:config: .* bytes/);
  });
});

describe('other context keys', () => {
  const config = REQUIRED;

  it('defaults: as CONTEXT_DEFAULTS says, recipients = SupportAddress, no domain, no alarm mail', () => {
    expect(contextOf({ 'ota:config': config })).toMatchObject({
      stackPrefix: 'Ota',
      production: true,
      recipients: ['help@acme-helpdesk.eu'],
      requireTls: true,
      rawMailRetentionDays: 365,
      rawMailProtection: 'versioning',
      contributorInsights: false,
      tracing: true,
      logRetentionDays: 90,
      api: { rateLimit: 20, burstLimit: 50 },
      alarmEmails: [],
      alarmEmailNone: false,
      helpdeskPrincipals: [],
      sourceMaps: false,
    });
    expect(contextOf({ 'ota:config': config }).customDomain).toBeUndefined();
    expect(contextOf({ 'ota:config': config }).receiptRuleSet).toBeUndefined();
  });

  it('reads ota:alarmEmail "none" as no alarm mail on purpose', () => {
    expect(contextOf({ 'ota:config': config, 'ota:alarmEmail': 'none' })).toMatchObject({ alarmEmails: [], alarmEmailNone: true });
  });

  it('reads ota:receiptRuleSet as the name of an existing rule set', () => {
    expect(contextOf({ 'ota:config': config, 'ota:receiptRuleSet': 'default-rule-set' }).receiptRuleSet).toBe('default-rule-set');
  });

  it('cdk.json ships every key with its default ("" for the optional ones), so ops see them all', () => {
    const shipped = Object.fromEntries(Object.entries(cdkJson.context).filter(([k]) => k.startsWith('ota:') && k !== CONTEXT_KEYS.config));
    expect(Object.keys(shipped).sort()).toEqual(Object.values(CONTEXT_KEYS).filter((k) => k !== CONTEXT_KEYS.config).sort());
    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS)) expect([key, shipped[key]]).toEqual([key, value]);
    for (const [key, value] of Object.entries(shipped)) if (!(key in CONTEXT_DEFAULTS)) expect([key, value]).toEqual([key, '']);
  });

  it('treats "" as not set, and reads -c strings', () => {
    expect(
      contextOf({ 'ota:config': config, 'ota:recipients': '', 'ota:tracing': 'false', 'ota:apiRateLimit': '2.5', 'ota:alarmEmail': 'a@acme-helpdesk.eu, b@acme-helpdesk.eu' }),
    ).toMatchObject({ recipients: ['help@acme-helpdesk.eu'], tracing: false, api: { rateLimit: 2.5 }, alarmEmails: ['a@acme-helpdesk.eu', 'b@acme-helpdesk.eu'] });
  });

  it('reads recipients as a list, a JSON list or a comma-separated string', () => {
    for (const value of [['a@acme-helpdesk.eu', 'Acme-Helpdesk.net'], '["a@acme-helpdesk.eu","Acme-Helpdesk.net"]', 'a@acme-helpdesk.eu, Acme-Helpdesk.net']) {
      expect(contextOf({ 'ota:config': config, 'ota:recipients': value }).recipients).toEqual(['a@acme-helpdesk.eu', 'acme-helpdesk.net']);
    }
  });

  it('takes a custom domain only with its certificate, and only when PortalUrl is exactly https://<domain>', () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123';
    expect(contextOf({ 'ota:config': config, 'ota:domainName': 'Help.Acme-Helpdesk.eu', 'ota:certificateArn': certificateArn }).customDomain).toEqual({
      domainName: 'help.acme-helpdesk.eu',
      certificateArn,
    });
    expect(synthWith({ 'ota:config': config, 'ota:domainName': 'portal.acme-helpdesk.eu', 'ota:certificateArn': certificateArn })).toThrow(
      'ota:config: PortalUrl must be https://portal.acme-helpdesk.eu to match ota:domainName, got https://help.acme-helpdesk.eu',
    );
    expect(synthWith({ 'ota:config': config, 'ota:domainName': 'help.acme-helpdesk.eu' })).toThrow(/^ota:certificateArn: required/);
    expect(synthWith({ 'ota:config': config, 'ota:certificateArn': certificateArn })).toThrow(/^ota:domainName: required/);
  });

  it.each([
    ['ota:recipients', 'not an address!'],
    ['ota:recipients', []],
    ['ota:stackPrefix', 'has space'],
    ['ota:stackPrefix', 'A'.repeat(21)],
    ['ota:production', 'maybe'],
    ['ota:rawMailRetentionDays', '0'],
    ['ota:rawMailRetentionDays', 1.5],
    ['ota:rawMailProtection', 'glacier'],
    ['ota:requireTls', 'yes'],
    ['ota:contributorInsights', 'on'],
    ['ota:tracing', 1],
    ['ota:logRetentionDays', '10'],
    ['ota:apiRateLimit', '0'],
    ['ota:apiBurstLimit', '5001'],
    ['ota:domainName', 'not a host'],
    ['ota:certificateArn', 'arn:aws:iam::123456789012:role/x'],
    ['ota:alarmEmail', 'ops-at-acme-helpdesk.eu'],
    ['ota:receiptRuleSet', 'has space'],
    ['ota:receiptRuleSet', '-starts-with-a-dash'],
    ['ota:receiptRuleSet', 'x'.repeat(65)],
    ['ota:helpdeskPrincipals', 'helpdesk'],
    ['ota:sourceMaps', 'yes'],
    ['ota:helpdeskPrincipals', 'arn:aws:s3:::a-bucket'],
  ])('fails synth naming %s when it is %p', (key, value) => {
    const domain = key === 'ota:domainName' ? { 'ota:certificateArn': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } : {};
    const certificate = key === 'ota:certificateArn' ? { 'ota:domainName': 'help.acme-helpdesk.eu' } : {};
    const context = { 'ota:config': config, ...domain, ...certificate, [key]: value };
    expect(synthWith(context)).toThrow(new RegExp(`^${key}: `));
    expect(synthWith(context)).toThrow(ContextError);
  });
});
