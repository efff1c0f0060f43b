import { describe, expect, it } from '@jest/globals';
import PostalMime from 'postal-mime';
import { parseConfig } from '../../shared/config.js';
import { renderTemplate } from '../../shared/domain/templates.js';
import { composeMail } from '../../shared/adapters/mime/compose-mail.js';
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

describe('outgoing MIME', () => {
  it('carries threading headers, Auto-Submitted and both parts', async () => {
    const raw = await composeMail({
      from: { name: 'Support', address: 'support@example.com' },
      to: 'alice@example.org',
      subject: '[Ticket#20261125000001] Hi',
      text: 'plain',
      html: '<p>html</p>',
      language: 'en',
      inReplyTo: 'm1@example.org',
      references: ['m0@example.org', 'm1@example.org'],
    });
    const mail = await PostalMime.parse(raw);
    const header = (k: string) => mail.headers.find((h) => h.key === k)?.value;
    expect(header('auto-submitted')).toBe('auto-replied');
    expect(header('in-reply-to')).toBe('<m1@example.org>');
    expect(header('references')).toBe('<m0@example.org> <m1@example.org>');
    expect(mail.text?.trim()).toBe('plain');
    expect(mail.html).toContain('<p>html</p>');
    expect(mail.to).toEqual([{ address: 'alice@example.org', name: '' }]);
  });
});

describe('tokens', () => {
  it('are 256 bits, URL-safe, hashed with SHA-256 and expire after TokenMaxAgeDays', () => {
    const t = mintToken(cryptoRandom, { TokenMaxAgeDays: 30 }, new Date('2026-11-25T00:00:00Z'), { ticketNumber: '1', customerLogin: 'a@b.example', purpose: 'auto-reply' });
    expect(Buffer.from(t.raw, 'base64url')).toHaveLength(32);
    expect(isWellFormedToken(t.raw)).toBe(true);
    expect(t.record.hash).toBe(hashToken(t.raw));
    expect(t.record.hash).not.toContain(t.raw);
    expect(t.record.expiresAt).toBe('2026-12-25T00:00:00.000Z');
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
