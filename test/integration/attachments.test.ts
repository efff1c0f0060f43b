/**
 * A ticket's files both ways (docs/links-and-portal.md, "Attachments"), against dynalite, s3rver, the
 * SES emulator and the local bus: an inbound mail's attachments downloaded byte for byte from the
 * presigned S3 URL the file route sends the browser to, with the headers that make them downloads;
 * someone else's file a 404; a reply's files uploaded as multipart/form-data, listed, downloadable
 * and in CustomerReplied; too much refused with a 413 and nothing stored; an agent reply's file.
 */
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { publishedDetailProblems } from '../../shared/events/published.js';
import { pathOf } from '../../shared/web/routes.js';
import { mime } from '../support/mail.js';
import { Browser, latestLink, startPortal, subscribeEventsFunction } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const { peers, portal } = useLocalSystem({ portal: { config: { ReplyAttachments: { MaxFiles: 3, MaxBytes: 300_000 } } } });

beforeAll(() => {
  subscribeEventsFunction(peers, portal);
});

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `f${++n}@files.example`;
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 131) % 256))]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 3000 }, (_, i) => i % 251)]);
const HTML = Buffer.from('<!doctype html><script>parent.document.cookie</script><h1>Hello</h1>');

/** A mail with files in; the customer signed in through its link. */
async function signedInWithFiles(attachments: { filename: string; content: Buffer; contentType: string }[], subject = 'Files for you') {
  portal.inbound.clock.set(portal.clock.now().toISOString());
  const outcome = await portal.inbound.deliver(`files-${n}-${Math.random().toString(36).slice(2)}`, await mime({ from: `Fiona File <${customer}>`, subject, text: 'See attached.', attachments }));
  if (outcome !== 'replied') throw new Error(`mail answered ${outcome}`);
  const link = await latestLink(peers, customer);
  const browser = portal.browser();
  await browser.post(link.path);
  return { link, browser, page: await browser.get(`/tickets/${link.ticketNumber}`) };
}

const fileLinks = (html: string) => [...html.matchAll(/<a href="(\/tickets\/\d+\/messages\/[^"]+\/files\/\d+)" download><bdi>([^<]*)<\/bdi><\/a>/g)].map((m) => ({ path: m[1]!.replace(/&amp;/g, '&'), name: m[2]! }));

/** Follows the file route to S3, as a browser does: the 303, then the presigned URL. */
async function download(browser: Browser, path: string) {
  const redirect = await browser.get(path);
  expect(redirect.status).toBe(303);
  const url = redirect.headers.get('location') ?? '';
  const res = await fetch(url);
  return { redirect, url, res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('files of an inbound mail', () => {
  it('downloads a PDF and an image byte for byte from S3, as attachments with their names', async () => {
    // Prepare
    const { page, browser } = await signedInWithFiles([
      { filename: 'Rechnung März.pdf', content: PDF, contentType: 'application/pdf' },
      { filename: 'screen shot.png', content: PNG, contentType: 'image/png' },
    ]);
    const links = fileLinks(page.text);

    // Act
    const [pdf, png] = [await download(browser, links[0]!.path), await download(browser, links[1]!.path)];

    // Assert: S3's origin, not the portal's; the bytes exact; a download, named in ASCII and in UTF-8
    expect(links.map((l) => l.name)).toEqual(['Rechnung März.pdf', 'screen shot.png']);
    expect(new URL(pdf.url).origin).toBe(new URL(peers.s3.url).origin);
    expect(pdf.url).toContain('X-Amz-Expires=120');
    expect(pdf.redirect.headers.get('cache-control')).toBe('no-store');
    expect(pdf.res.status).toBe(200);
    expect(pdf.bytes.equals(PDF)).toBe(true);
    expect(png.bytes.equals(PNG)).toBe(true);
    expect(pdf.res.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
    expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
    expect(png.res.headers.get('content-type')).toBe('image/png');
    expect(pdf.res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('hands an HTML file over as a download of bytes, never as a page', async () => {
    // Prepare
    const { page, browser } = await signedInWithFiles([{ filename: 'invoice.html', content: HTML, contentType: 'text/html' }]);

    // Act
    const html = await download(browser, fileLinks(page.text)[0]!.path);

    // Assert
    expect(html.bytes.equals(HTML)).toBe(true);
    expect(html.res.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.res.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('answers a file of someone else’s ticket exactly as a missing one: 404, no URL', async () => {
    // Prepare: another customer's mail with a file; this customer signed in to a ticket of their own
    const theirs = await signedInWithFiles([{ filename: 'secret.pdf', content: PDF, contentType: 'application/pdf' }]);
    const theirPath = fileLinks(theirs.page.text)[0]!.path;
    customer = `other-${customer}`;
    const mine = await signedInWithFiles([{ filename: 'mine.pdf', content: PDF, contentType: 'application/pdf' }]);
    const minePath = fileLinks(mine.page.text)[0]!.path;

    // Act
    const other = await mine.browser.get(theirPath);
    const missing = await mine.browser.get(minePath.replace(/\/files\/0$/, '/files/7'));
    const anonymous = await new Browser(portal.base).get(minePath);

    // Assert
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect(other.headers.get('location')).toBeNull();
    expect(anonymous.status).toBe(403);
  });

  it('shows a file as no longer kept once its message is older than the bucket keeps files (410)', async () => {
    // Prepare: a portal whose function knows the bucket keeps files 30 days; a mail of 31 days ago (its link lives 60)
    const kept30 = await startPortal(peers, { config: { TokenMaxAgeDays: 60 }, overrides: { fileRetentionDays: 30 } });
    try {
      kept30.inbound.clock.set(new Date(kept30.clock.now().getTime() - 31 * 86_400_000).toISOString());
      await kept30.inbound.deliver(`old-${n}`, await mime({ from: customer, subject: 'Old', text: 'x', attachments: [{ filename: 'old.pdf', content: PDF }] }));
      const link = await latestLink(peers, customer);
      const browser = kept30.browser();
      await browser.post(link.path);
      const page = await browser.get(`/tickets/${link.ticketNumber}`);

      // Act
      const [article] = (await kept30.deps.tickets.view(link.ticketNumber))?.articles ?? [];
      const later = await browser.get(pathOf('file', { number: link.ticketNumber, message: article!.articleId, file: '0' }));

      // Assert: listed without a link, and the route says why
      expect(page.text).toContain('<bdi>old.pdf</bdi>');
      expect(page.text).toContain('not kept any more');
      expect(fileLinks(page.text)).toEqual([]);
      expect(later.status).toBe(410);
      expect(later.text).toContain('File no longer kept');
    } finally {
      await kept30.stop();
    }
  });
});

describe('files of a portal reply', () => {
  /** The reply form as a browser posts it: multipart/form-data with the session's form token. */
  function replyForm(page: string, text: string, files: { name: string; bytes: Buffer; type: string }[]) {
    const form = new FormData();
    form.set('csrf', Browser.csrf(page));
    form.set('text', text);
    for (const f of files) form.append('files', new Blob([f.bytes], { type: f.type }), f.name);
    return form;
  }

  it('stores two files, lists them on the article, serves them, and hands them to the helpdesk in CustomerReplied', async () => {
    // Prepare
    const { link, browser, page } = await signedInWithFiles([]);

    // Act
    const res = await browser.postMultipart(`/tickets/${link.ticketNumber}/reply`, replyForm(page.text, 'Two screenshots.', [
      { name: 'C:\\fakepath\\first.png', bytes: PNG, type: 'image/png' },
      { name: 'second.pdf', bytes: PDF, type: 'application/pdf' },
    ]));
    await peers.bus.idle();
    const after = await browser.get(`/tickets/${link.ticketNumber}`);
    const links = fileLinks(after.text);

    // Assert: the page, the bytes behind it, and the event
    expect(res.status).toBe(303);
    expect(links.map((l) => l.name)).toEqual(['first.png', 'second.pdf']);
    expect((await download(browser, links[1]!.path)).bytes.equals(PDF)).toBe(true);
    const [replied] = peers.published().filter((e) => e.detailType === 'CustomerReplied' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber);
    expect(publishedDetailProblems('CustomerReplied', replied?.detail)).toEqual([]);
    const files = (replied?.detail as { article: { files: { name: string; size: number; type: string; key: string }[] } }).article.files;
    expect(files.map((f) => [f.name, f.size, f.type])).toEqual([['first.png', PNG.length, 'image/png'], ['second.pdf', PDF.length, 'application/pdf']]);
    // What the helpdesk does with the key: GetObject from the raw-mail bucket.
    const object = await peers.s3Client().send(new GetObjectCommand({ Bucket: peers.bucket, Key: files[0]!.key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(PNG)).toBe(true);
  });

  it.each([
    ['files over MaxBytes together', [PDF, PDF, PDF, PDF, PDF, PDF, PDF, PDF]],
    ['more files than MaxFiles', [PNG, PNG, PNG, PNG]],
    ['one file over MaxBytes', [Buffer.concat(Array.from({ length: 8 }, () => PDF))]],
  ])('refuses %s with a 413 naming the limits, and stores nothing', async (_label, contents) => {
    // Prepare
    const { link, browser, page } = await signedInWithFiles([]);
    const before = await peers.s3Client().send(new ListObjectsV2Command({ Bucket: peers.bucket, Prefix: `attachments/${link.ticketNumber}/` }));

    // Act
    const res = await browser.postMultipart(`/tickets/${link.ticketNumber}/reply`, replyForm(page.text, 'Too much.', contents.map((bytes, i) => ({ name: `f${i}.bin`, bytes, type: 'application/octet-stream' }))));
    await peers.bus.idle();

    // Assert
    expect(res.status).toBe(413);
    expect(res.text).toContain('A reply takes up to 3 files of 293 KB together. Nothing was added');
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles).toHaveLength(1);
    expect((await peers.s3Client().send(new ListObjectsV2Command({ Bucket: peers.bucket, Prefix: `attachments/${link.ticketNumber}/` }))).KeyCount).toBe(before.KeyCount);
    expect(peers.published().filter((e) => e.detailType === 'CustomerReplied' && (e.detail as { ticketNumber: string }).ticketNumber === link.ticketNumber)).toEqual([]);
    expect(portal.metrics.get('ReplyFilesTooLarge')).toBeGreaterThan(0);
  });

  it('refuses a multipart reply from another site before reading it: 403', async () => {
    const { link, browser, page } = await signedInWithFiles([]);
    const res = await browser.postMultipart(`/tickets/${link.ticketNumber}/reply`, replyForm(page.text, 'x', [{ name: 'a.png', bytes: PNG, type: 'image/png' }]), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await portal.deps.tickets.view(link.ticketNumber))?.articles).toHaveLength(1);
  });
});

describe('files of an agent reply', () => {
  it('shows a file the helpdesk put under its prefix on the reply, downloadable, and the mail says it waits in the portal', async () => {
    // Prepare: the helpdesk puts its file where the stack grants it, then sends AgentReplied naming it
    const { link, browser } = await signedInWithFiles([]);
    const key = `helpdesk-files/${link.ticketNumber}/r1/quote.pdf`;
    await peers.s3Client().send(new PutObjectCommand({ Bucket: peers.bucket, Key: key, Body: PDF, ContentType: 'application/pdf' }));

    // Act
    await peers.eventsClient().send(
      new PutEventsCommand({ Entries: [{ Source: 'helpdesk', DetailType: 'AgentReplied', EventBusName: 'ota-test', Detail: JSON.stringify({ ticketNumber: link.ticketNumber, text: 'Here is the quote.', attachments: [{ key, name: 'Angebot.pdf' }] }) }] }),
    );
    await peers.bus.idle();
    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    const [file] = fileLinks(page.text);

    // Assert
    expect(file?.name).toBe('Angebot.pdf');
    expect((await download(browser, file!.path)).bytes.equals(PDF)).toBe(true);
    const mail = (await peers.outbox(customer)).at(-1);
    expect(mail?.body.text).toContain('This reply has a file waiting for you in the portal: Angebot.pdf');
  });
});
