/**
 * The pages of the sign-in codes (shared/web/pages/code.ts) and the way to them from every page a
 * link can end on, rendered without a browser: the form's fields, one neutral answer, escaping.
 * Their accessibility in Chromium is test/e2e/pages-a11y.test.ts.
 */
import { describe, it, expect } from '@jest/globals';
import { codeLockedPage, codeOfferedPage, codePage, codeRefusedPage, landingPage, messagePage, signedOutPage, type PageContext } from '../../shared/web/pages.js';

const en: PageContext = { language: 'en', supportName: 'ACME Support' };
const de: PageContext = { language: 'de', supportName: 'ACME Support' };
const HOSTILE = '"><script>alert(1)</script>';

describe('the code form', () => {
  it('posts a labelled ticket number and a labelled one-time code to /code', () => {
    const html = codePage(en);

    expect(html).toContain('<form method="post" action="/code">');
    expect(html).toMatch(/<label for="code-ticket">Ticket number<\/label>\n<input id="code-ticket" name="ticketNumber" type="text" inputmode="numeric"/);
    expect(html).toMatch(/<label for="code-code">Sign-in code<\/label>/);
    expect(html).toMatch(/<input id="code-code" name="code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required maxlength="32" aria-describedby="code-hint">/);
    expect(codePage(de)).toContain('<button type="submit">Anmelden</button>');
  });

  it('answers every code that opened nothing with the same page, escaping what was typed', () => {
    const a = codeRefusedPage(en, { ticketNumber: '20261203000001' });
    const b = codeRefusedPage(en, { ticketNumber: '20261203000002' });
    const hostile = codeRefusedPage(en, { ticketNumber: HOSTILE });

    expect(a.replace('20261203000001', 'N')).toBe(b.replace('20261203000002', 'N'));
    expect(a).toContain('The ticket number or the code is not right');
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('says when to try again, as a time', () => {
    const html = codeLockedPage(en, { until: '2026-12-03T15:00:00.000Z' });

    expect(html).toContain('Too many sign-in codes were tried. Please try again after <time datetime="2026-12-03T15:00:00.000Z">');
    expect(html).toContain('The link in the email still works.');
  });

  it('asks for the code of the same mail, or of the newest, with the ticket number filled in', () => {
    const same = codeOfferedPage(en, { ticketNumber: '20261203000001', sameMail: true });
    const newer = codeOfferedPage(en, { ticketNumber: '20261203000001', sameMail: false });

    expect(same).toContain('This link was already used — by you, or perhaps by your email program’s security check.');
    expect(same).toContain('enter the sign-in code from the same email');
    expect(newer).toContain('from our newest email about this ticket');
    expect(same).toMatch(/name="ticketNumber"[^>]* value="20261203000001">/);
  });
});

describe('the way to /code', () => {
  it('is on the landing page, on every page a link’s button ends on, and on the signed-out page; not where it is not asked for', () => {
    const link = '<a href="/code">Link already used, or on another device? Enter the code from the email</a>';
    expect(landingPage(en, { ticketNumber: '1', formAction: '/link/1/x' })).toContain(link);
    expect(messagePage(en, { title: 't', message: 'm', offerNewLink: true, offerCode: true })).toContain(link);
    expect(signedOutPage(en)).toContain(link);
    expect(messagePage(en, { title: 't', message: 'm', offerNewLink: true })).not.toContain('href="/code"');
  });
});
