/**
 * The portal as a browser without scripts meets it: fetch with a cookie jar, form posts with the
 * portal's Origin, redirects not followed. Tests and the bench drive the HTTP function through it.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers);
  }

  /** A form post as the portal's own pages send it (Origin of the portal, form-encoded). */
  async post(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return this.request('POST', path, new URLSearchParams(fields).toString(), { origin: this.base, 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  /** A multipart/form-data post with files, as the reply form sends it (fetch writes the boundary). */
  async postMultipart(path: string, form: FormData, headers: Record<string, string> = {}) {
    return this.request('POST', path, form, { origin: this.base, ...headers });
  }

  async request(method: string, path: string, body?: string | Buffer | FormData, headers: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, { method, body, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
    for (const set of res.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (!name) continue;
      if (attributes.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value ?? '');
    }
    return { status: res.status, headers: res.headers, text: await res.text(), setCookies: res.headers.getSetCookie() };
  }

  /** The hidden form token of the page just read. */
  static csrf(html: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(html);
    if (!m?.[1]) throw new Error('no csrf field on the page');
    return m[1];
  }
}
