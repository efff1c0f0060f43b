import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import { renderTemplate } from '../../shared/domain/templates.js';
import { formatFrom, mailHeaders, referencesHeader } from '../../shared/adapters/ses/ses-mailer.js';
import { hashToken, isWellFormedToken, linkFor, mintToken } from '../../shared/domain/tokens.js';
import { cryptoRandom } from '../../shared/system.js';
import { parseLocalVerdicts } from '../../local/smtp-inbound.js';

const config = parseConfig({});
const values = { TicketNumber: '20261125000001', Title: '<img src=x onerror=alert(1)> Bill\r\nBcc: evil@example.com', Link: 'https://p.example/link/20261125000001/abc', CustomerEmail: 'a@b.example' };

describe('templates', () => {
  it('escapes user-supplied values in HTML and keeps the subject on one line with the ticket tag', () => {
    const r = renderTemplate(config.AutoReply, values, 'en', config);
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(r.html).toContain('<a href="https://p.example/link/20261125000001/abc">');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.subject.startsWith('[Ticket#20261125000001]')).toBe(true);
  });

  it('renders German and adds the ticket tag when a custom subject lacks it', () => {
    const r = renderTemplate({ Subject: { en: 'Thanks', de: 'Danke' }, Body: 'Link: {{Link}} {{Unknown}}' }, values, 'de', config);
    expect(r.subject).toBe('[Ticket#20261125000001] Danke');
    expect(r.text).toBe('Link: https://p.example/link/20261125000001/abc {{Unknown}}');
  });
});

describe('outgoing mail (SES v2 simple content)', () => {
  const mail = {
    from: { name: 'Support', address: 'support@example.com' },
    to: 'alice@example.org',
    subject: '[Ticket#20261125000001] Hi',
    text: 'plain',
    html: '<p>html</p>',
    language: 'de' as const,
    inReplyTo: 'm1@example.org',
    references: ['m0@example.org', 'm1@example.org'],
  };

  it('carries threading headers, RFC 3834 headers for machine-made mail, and the language', () => {
    expect(mailHeaders({ ...mail, autoSubmitted: 'auto-replied' })).toEqual([
      { Name: 'Content-Language', Value: 'de' },
      { Name: 'Auto-Submitted', Value: 'auto-replied' },
      { Name: 'X-Auto-Response-Suppress', Value: 'All' },
      { Name: 'In-Reply-To', Value: '<m1@example.org>' },
      { Name: 'References', Value: '<m0@example.org> <m1@example.org>' },
    ]);
    expect(mailHeaders(mail).map((h) => h.Name)).not.toContain('Auto-Submitted');
  });

  it('keeps header values within SES limits: printable ASCII ids only, References cut from the oldest end at 870 characters', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `${'x'.repeat(40)}-${i}@example.org`);
    const references = referencesHeader([...ids, 'bad id with spaces', 'ümlaut@example.org']) ?? '';
    expect(references.length).toBeLessThanOrEqual(870);
    expect(references).toContain(`-39@example.org>`);
    expect(references).not.toContain(`-0@example.org>`);
    expect(references).not.toMatch(/[^\x20-\x7e]|bad id/);
    expect(mailHeaders({ ...mail, inReplyTo: 'a b@c' }).map((h) => h.Name)).not.toContain('In-Reply-To');
  });

  it('writes a non-ASCII display name as an encoded word and refuses header smuggling in it', () => {
    expect(formatFrom('Support', 'support@example.com')).toBe('"Support" <support@example.com>');
    expect(formatFrom('Kundendienst Müller', 's@example.com')).toBe(`=?UTF-8?B?${Buffer.from('Kundendienst Müller').toString('base64')}?= <s@example.com>`);
    expect(formatFrom('Evil\r\nBcc: x@y.z', 's@example.com')).not.toMatch(/[\r\n]/);
    expect(formatFrom('', 's@example.com')).toBe('s@example.com');
  });
});

describe('tokens', () => {
  it('are 256 bits, URL-safe, hashed with SHA-256 and expire after TokenMaxAgeDays', () => {
    const t = mintToken(cryptoRandom, { TokenMaxAgeDays: 30 }, new Date('2026-11-25T00:00:00Z'), { ticketNumber: '1', customerLogin: 'a@b.example', purpose: 'auto-reply' });
    expect(Buffer.from(t.raw, 'base64url')).toHaveLength(32);
    expect(isWellFormedToken(t.raw)).toBe(true);
    expect(t.active.hash).toBe(hashToken(t.raw));
    expect(t.active.hash).not.toContain(t.raw);
    expect(t.active.expiresAt).toBe('2026-12-25T00:00:00.000Z');
    expect(linkFor('https://p.example', '1', t.raw)).toBe(`https://p.example/link/1/${t.raw}`);
    expect(isWellFormedToken('../../etc/passwd')).toBe(false);
  });
});

describe('local verdict switch', () => {
  it('parses X-OTA-Local-Verdicts', () => {
    expect(parseLocalVerdicts('spam=FAIL, dmarc=fail/Reject')).toEqual({ spam: 'FAIL', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL', dmarcPolicy: 'reject' });
    expect(parseLocalVerdicts(undefined).spam).toBe('PASS');
    expect(parseLocalVerdicts('bogus=FAIL;virus').virus).toBe('PASS');
  });
});
