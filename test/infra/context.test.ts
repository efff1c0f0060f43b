import { describe, it, expect } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { buildOtaApp } from '../../infra/ota-app.js';
import { ContextError, readContext } from '../../infra/context.js';

// Context is read before any construct is made, so these tests never bundle.
const synthWith = (context: Record<string, unknown>) => () => buildOtaApp(new App({ context }));
const contextOf = (context: Record<string, unknown>) => readContext(new App({ context }).node);

describe('ota:config', () => {
  it('fails synth naming the bad key', () => {
    expect(synthWith({ 'ota:config': { AccessDaysAfterClose: -1 } })).toThrow(/AccessDaysAfterClose/);
    expect(synthWith({ 'ota:config': '{"AccessDaysAfterClose": -1}' })).toThrow(/AccessDaysAfterClose/);
    expect(synthWith({ 'ota:config': { SupportAddress: 'help@example.org', AccessDaysAfterClose: -1 } })).toThrow(
      new RegExp('^ota:config: Invalid configuration: AccessDaysAfterClose: '),
    );
  });

  it('fails synth on an unknown key or JSON that does not parse', () => {
    expect(synthWith({ 'ota:config': { AccesDaysAfterClose: 3 } })).toThrow(/unknown key\(s\) AccesDaysAfterClose/);
    expect(synthWith({ 'ota:config': '{"SupportAddress": ' })).toThrow(/ota:config: not valid JSON/);
    expect(synthWith({ 'ota:config': '[1]' })).toThrow(/ota:config: expected a JSON object/);
  });

  it('accepts an object from cdk.json or a JSON string from -c, and passes the override on as given', () => {
    const override = { SupportAddress: 'Help@Example.org', AccessDaysAfterClose: 3 };
    for (const value of [override, JSON.stringify(override)]) {
      const context = contextOf({ 'ota:config': value });
      expect(context.config.AccessDaysAfterClose).toBe(3);
      expect(context.config.SupportAddress).toBe('help@example.org');
      expect(context.configJson).toBe(JSON.stringify(override));
    }
  });

  it('refuses an override too large for the Lambda environment', () => {
    const huge = { SupportAddress: 'help@example.org', CustomerErrorMessageLinkExpired: 'x'.repeat(4000) };
    expect(synthWith({ 'ota:config': huge })).toThrow(/ota:config: .* bytes/);
  });
});

describe('other context keys', () => {
  const config = { SupportAddress: 'help@example.org' };

  it('defaults: prefix Ota, recipients = SupportAddress, 365 days of raw mail, TLS optional', () => {
    expect(contextOf({ 'ota:config': config })).toMatchObject({
      stackPrefix: 'Ota',
      recipients: ['help@example.org'],
      rawMailRetentionDays: 365,
      requireTls: false,
    });
  });

  it('reads recipients as a list, a JSON list or a comma-separated string', () => {
    for (const value of [['a@example.org', 'Example.net'], '["a@example.org","Example.net"]', 'a@example.org, Example.net']) {
      expect(contextOf({ 'ota:config': config, 'ota:recipients': value }).recipients).toEqual(['a@example.org', 'example.net']);
    }
  });

  it.each([
    ['ota:recipients', 'not an address!'],
    ['ota:recipients', []],
    ['ota:stackPrefix', 'has space'],
    ['ota:stackPrefix', 'A'.repeat(21)],
    ['ota:rawMailRetentionDays', '0'],
    ['ota:rawMailRetentionDays', 1.5],
    ['ota:requireTls', 'yes'],
  ])('fails synth naming %s when it is %p', (key, value) => {
    expect(synthWith({ 'ota:config': config, [key]: value })).toThrow(key);
    expect(synthWith({ 'ota:config': config, [key]: value })).toThrow(ContextError);
  });
});
