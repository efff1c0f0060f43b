/**
 * The security headers every answer of the portal carries (functions/http/security-headers.ts), read
 * as the HTTP function's middleware writes them.
 */
import { describe, expect, it } from '@jest/globals';
import { securityHeaders } from '../../functions/http/security-headers.js';

const directives = (csp = '') => csp.split(';').map((d) => d.trim());

describe('security headers', () => {
  it('allow no script, only our own stylesheet and forms, and no framing, over http and https', async () => {
    // Act
    const answers = await Promise.all([securityHeaders('http://localhost:3000'), securityHeaders('https://help.example.com')]);

    // Assert
    for (const headers of answers) {
      const csp = directives(headers['Content-Security-Policy']);
      expect(csp).toEqual(expect.arrayContaining(["default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]));
      // A sandbox would block our own forms; nothing receives reports; browsers dropped navigate-to.
      expect(csp.join('; ')).not.toMatch(/script-src|unsafe-inline|sandbox|report-to|navigate-to|trusted-types 'none'/);
      expect(headers).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
      expect(headers).not.toHaveProperty('X-XSS-Protection');
      expect(headers).not.toHaveProperty('Reporting-Endpoints');
    }
  });

  it('upgrade requests and pin https only when the portal is https, so a plain-http local portal stays reachable', async () => {
    // Act
    const [http, https] = await Promise.all([securityHeaders('http://localhost:3000'), securityHeaders('https://help.example.com')]);

    // Assert
    expect(directives(https['Content-Security-Policy'])).toContain('upgrade-insecure-requests');
    expect(https['Strict-Transport-Security']).toBe('max-age=31536000');
    expect(directives(http['Content-Security-Policy'])).not.toContain('upgrade-insecure-requests');
    expect(http).not.toHaveProperty('Strict-Transport-Security');
  });

  it('give an answer that is not a page only the headers that are not about pages', async () => {
    // Act
    const css = await securityHeaders('https://help.example.com', 'text/css; charset=utf-8');

    // Assert: no CSP or framing rules for a stylesheet, but never sniffed and never a referrer.
    expect(css).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Strict-Transport-Security': 'max-age=31536000' });
    expect(css).not.toHaveProperty('Content-Security-Policy');
    expect(css).not.toHaveProperty('X-Frame-Options');
  });
});
