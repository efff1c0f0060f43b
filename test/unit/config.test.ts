import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, localize, parseConfig, pickLanguage } from '../../shared/config.js';

describe('configuration', () => {
  it('has valid defaults with the add-on’s numbers', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ AccessDaysAfterClose: 14, TokenMaxAgeDays: 30, RefreshMinIntervalMinutes: 10, CustomerHeaderSpoofProtection: true, SupportAddress: 'support@localhost' });
    expect(c.SignInCodeLimits).toEqual({ PerTicketPerHour: 5, PerClientIpPerHour: 30 });
  });

  it('runs on Node 24 like the Lambda runtime', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it.each([
    [{ AccessDaysAfterClose: -1 }, 'AccessDaysAfterClose'],
    [{ TokenMaxAgeDays: 'long' }, 'TokenMaxAgeDays'],
    [{ PortalUrl: 'javascript:alert(1)' }, 'PortalUrl'],
    [{ SupportAddress: 'not-an-address' }, 'SupportAddress'],
    [{ DefaultLanguage: 'fr' }, 'DefaultLanguage'],
    [{ Languages: ['en'], DefaultLanguage: 'de' }, 'DefaultLanguage'],
    [{ AccesDaysAfterClose: 3 }, 'AccesDaysAfterClose'],
    [{ Verdicts: { RejectOnSpamFail: 'yes' } }, 'Verdicts.RejectOnSpamFail'],
    [{ CustomerErrorMessageWrongLink: { fr: 'non' } }, 'CustomerErrorMessageWrongLink'],
    [{ HelpdeskEventSource: 'one-time-auth-links' }, 'HelpdeskEventSource: must differ from EventSource'],
    [{ PortalTimeZone: 'Mars/Olympus_Mons' }, 'PortalTimeZone: expected an IANA time zone'],
    [{ PortalTimeZone: '+02:00' }, 'PortalTimeZone'],
    [{ ReplyAttachments: { MaxBytes: 6_000_000 } }, 'ReplyAttachments.MaxBytes'],
    [{ ReplyAttachments: { MaxFiles: 21 } }, 'ReplyAttachments.MaxFiles'],
    [{ SignInCodeLimits: { PerTicketPerHour: 0 } }, 'SignInCodeLimits.PerTicketPerHour'],
    [{ SignInCodeLimits: { PerTicketPerHour: 1000 } }, 'SignInCodeLimits.PerTicketPerHour'],
  ])('rejects %j naming the key %s', (override, key) => {
    expect(() => parseConfig(override)).toThrow(ConfigError);
    expect(() => parseConfig(override)).toThrow(key);
  });

  it('merges a per-language override over the defaults, keeping the other language', () => {
    const c = parseConfig({ CustomerErrorMessageWrongLink: { de: 'Bitte den neuesten Link.' } });
    expect(localize(c.CustomerErrorMessageWrongLink, 'de', 'en')).toBe('Bitte den neuesten Link.');
    expect(localize(c.CustomerErrorMessageWrongLink, 'en', 'en')).toContain('newest link');
  });

  it('takes an IANA time zone for the portal, UTC by default', () => {
    expect(parseConfig({}).PortalTimeZone).toBe('UTC');
    expect(parseConfig({ PortalTimeZone: 'Europe/Berlin' }).PortalTimeZone).toBe('Europe/Berlin');
  });

  it('takes one string for every language', () => {
    const c = parseConfig({ CustomerErrorMessageLinkExpired: 'Gone.' });
    expect(localize(c.CustomerErrorMessageLinkExpired, 'de', 'en')).toBe('Gone.');
  });

  it('normalises the portal URL and support address', () => {
    const c = parseConfig({ PortalUrl: 'https://help.example.com/portal/', SupportAddress: ' Help@Example.COM ' });
    expect(c.PortalUrl).toBe('https://help.example.com/portal');
    expect(c.SupportAddress).toBe('help@example.com');
  });

  it('reads OTA_CONFIG files and OTA_CONFIG_JSON, failing clearly on bad JSON or a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ AccessDaysAfterClose: 3 }));
    expect(loadConfig({ OTA_CONFIG: file }).AccessDaysAfterClose).toBe(3);
    expect(loadConfig({ OTA_CONFIG_JSON: '{"AccessDaysAfterClose":0}' }).AccessDaysAfterClose).toBe(0);
    writeFileSync(file, '{nope');
    expect(() => loadConfig({ OTA_CONFIG: file })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ OTA_CONFIG: join(dir, 'missing.json') })).toThrow(/Cannot read configuration file/);
    expect(() => loadConfig({ OTA_CONFIG_JSON: '[1]' })).toThrow(/expected a JSON object/);
  });

  it('picks a supported language from a header, else the default', () => {
    const c = parseConfig({});
    expect(pickLanguage(c, 'de-DE')).toBe('de');
    expect(pickLanguage(c, 'fr')).toBe('en');
    expect(pickLanguage(c, undefined)).toBe('en');
  });
});
