import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { DEFAULT_MAIL_LIMITS, MimeMailParser, parseMail } from '../../shared/adapters/mime/parse-mail.js';
import { MalformedMailError, type ParsedMail } from '../../shared/ports/mail-parser.js';
import type { MemoryReport } from '../support/parse-mail-memory.js';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

async function mime(options: SendMailOptions): Promise<Buffer> {
  const info = await composer.sendMail({ from: 'Alice <alice@example.com>', to: 'support@localhost', ...options });
  return info.message as Buffer;
}

/** Raw bytes as written: `\xF6` in the source is the single byte 0xF6, lines end in CRLF. */
function raw(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Like `raw`, but the text is UTF-8 (for mail that is valid UTF-8 throughout). */
function utf8(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield new Uint8Array(bytes.subarray(at, at + size));
}

function comparable(mail: ParsedMail) {
  const { header, ...fields } = mail;
  return { ...fields, headers: ['from', 'subject', 'x-note', 'content-type'].map((name) => header(name)) };
}

describe('parseMail: article text', () => {
  it('reads sender, subject, ids and text of a plain mail', async () => {
    // Prepare
    const mail = await mime({ subject: 'Printer on fire', text: 'Help!', messageId: '<Abc@Example.ORG>', inReplyTo: '<one@x.example>', references: ['<zero@x.example>', '<one@x.example>'] });

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed).toMatchObject({
      fromAddress: 'alice@example.com',
      fromName: 'Alice',
      fromAmbiguous: false,
      subject: 'Printer on fire',
      messageId: 'abc@example.org',
      inReplyTo: ['one@x.example'],
      references: ['zero@x.example', 'one@x.example'],
      text: 'Help!\n',
      textTruncated: false,
      attachments: [],
      attachmentsOmitted: 0,
    });
    expect(parsed.reportType).toBeUndefined();
    expect(parsed.header('Subject')).toBe('Printer on fire');
  });

  it('takes the text of multipart/alternative and does not list its HTML as an attachment', async () => {
    // Prepare
    const mail = await mime({ subject: 'Both', text: 'The plain version.', html: '<p>The <b>HTML</b> version.</p>' });

    // Act
    const parsed = await parseMail(mail);

    // Assert: the plain part wins, the HTML is the same article in another form
    expect(parsed.text).toBe('The plain version.');
    expect(parsed.attachments).toEqual([]);
  });

  it('takes the HTML when the plain part is blank, in whichever order they come', async () => {
    // Prepare
    const mail = raw([
      'From: a@example.com',
      'Subject: Blank',
      'Content-Type: multipart/alternative; boundary=a',
      '',
      '--a',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Only the HTML says something.</p>',
      '--a',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '  ',
      '--a--',
      '',
    ]);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text).toBe('Only the HTML says something.');
    expect(parsed.attachments).toEqual([]);
  });

  it('converts HTML-only mail to text without script or style content', async () => {
    // Prepare
    const mail = await mime({ subject: 'Styled', html: '<style>p { color: red }</style><p>Hello <b>there</b></p><script>steal("SECRET")</script>' });

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text).toContain('Hello there');
    expect(parsed.text).not.toContain('SECRET');
    expect(parsed.text).not.toContain('color');
  });

  it('decodes an 8-bit body by its declared charset', async () => {
    // Prepare: 0xA4 is € in ISO-8859-15 but ¤ in ISO-8859-1 / windows-1252
    const mail = raw(['From: a@example.com', 'Subject: Preis', 'Content-Type: text/plain; charset=ISO-8859-15', 'Content-Transfer-Encoding: 8bit', '', 'Gr\xFC\xDFe, 10 \xA4', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text.trim()).toBe('Grüße, 10 €');
  });

  it('decodes an ISO-8859-1 8-bit body with its charset declared in a multipart', async () => {
    // Prepare
    const mail = raw([
      'From: a@example.com',
      'Subject: Fabel',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Die Hasen und die Fr\xF6sche',
      '--b--',
      '',
    ]);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text).toBe('Die Hasen und die Frösche');
  });

  it('undoes format=flowed soft line breaks', async () => {
    // Prepare
    const mail = raw(['From: a@example.com', 'Subject: Flowed', 'Content-Type: text/plain; charset=utf-8; format=flowed', '', 'One long ', 'paragraph.', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text.trim()).toBe('One long paragraph.');
  });

  it('cuts the text at the byte bound before a character, never inside one', async () => {
    // Prepare: each frog is 4 bytes of UTF-8, so 10 bytes hold two and a half
    const mail = await mime({ subject: 'Frogs', text: '🐸🐸🐸🐸' });

    // Act
    const parsed = await parseMail(mail, { ...DEFAULT_MAIL_LIMITS, textMaxBytes: 10 });

    // Assert
    expect(parsed.text).toBe('🐸🐸');
    expect(parsed.textTruncated).toBe(true);
    expect(parsed.text).not.toContain('\uFFFD');
  });

  it('does not call a text truncated that fits the bound exactly', async () => {
    // Prepare
    const mail = await mime({ subject: 'Frogs', text: '🐸🐸' });

    // Act
    const parsed = await parseMail(mail, { ...DEFAULT_MAIL_LIMITS, textMaxBytes: 8 });

    // Assert
    expect(parsed).toMatchObject({ text: '🐸🐸', textTruncated: false });
  });

  it('bounds long HTML-only mail by the text limit as well', async () => {
    // Prepare
    const mail = await mime({ subject: 'Long', html: `<p>${'Wort '.repeat(50_000)}</p>` });

    // Act
    const parsed = await parseMail(mail, { ...DEFAULT_MAIL_LIMITS, textMaxBytes: 1000 });

    // Assert
    expect(Buffer.byteLength(parsed.text)).toBeLessThanOrEqual(1000);
    expect(parsed.textTruncated).toBe(true);
  });
});

describe('parseMail: 8-bit and UTF-8 headers', () => {
  it('reads a raw 8-bit Subject as windows-1252 when no charset is declared', async () => {
    // Prepare
    const mail = raw(['From: a@example.com', 'Subject: Die Hasen und die Fr\xF6sche \x80', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert: 0x80 is € only in windows-1252, so this is the charset that was used
    expect(parsed.subject).toBe('Die Hasen und die Frösche €');
  });

  it('reads a raw 8-bit Subject in the top-level charset when one is declared', async () => {
    // Prepare: 0xA4 is € in ISO-8859-15
    const mail = raw(['From: a@example.com', 'Subject: 10 \xA4', 'Content-Type: text/plain; charset=iso-8859-15', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.subject).toBe('10 €');
  });

  it("falls back to the first text part's charset for 8-bit top-level headers", async () => {
    // Prepare: 0xF0 is р in KOI8-R
    const mail = raw(['From: a@example.com', 'Subject: \xF0\xD2\xC9\xD7\xC5\xD4', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain; charset=koi8-r', '', 'x', '--b--', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.subject).toBe('Привет');
  });

  it('reads a raw 8-bit byte inside a Q encoded word in the charset of the word', async () => {
    // Prepare
    const mail = raw(['From: a@example.com', 'Subject: =?ISO-8859-1?Q?Die_Hasen_und_die_Fr\xF6sche?=', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.subject).toBe('Die Hasen und die Frösche');
    expect(parsed.header('subject')).toBe('Die Hasen und die Frösche');
  });

  it('reads an 8-bit From display name', async () => {
    // Prepare
    const mail = raw(['From: J\xF6rg M\xFCller <joerg@example.de>', 'Subject: Hallo', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed).toMatchObject({ fromAddress: 'joerg@example.de', fromName: 'Jörg Müller', fromAmbiguous: false });
  });

  it('reads an 8-bit attachment file name', async () => {
    // Prepare
    const mail = raw([
      'From: a@example.com',
      'Subject: Fabel',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Anbei.',
      '--b',
      'Content-Type: application/pdf',
      'Content-Disposition: attachment; filename="Fr\xF6sche.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF').toString('base64'),
      '--b--',
      '',
    ]);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.attachments).toEqual([{ filename: 'Frösche.pdf', contentType: 'application/pdf', size: 4 }]);
  });

  it('keeps valid raw UTF-8 headers (RFC 6532) as they are', async () => {
    // Prepare: the same bytes read as windows-1252 would come out as "GrÃ¼ÃŸe"
    const mail = utf8(['From: Zoë Ünal <zoe@example.com>', 'Subject: Grüße 🐸', 'X-Note: naïve', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed).toMatchObject({ subject: 'Grüße 🐸', fromName: 'Zoë Ünal' });
    expect(parsed.header('x-note')).toBe('naïve');
  });

  it('replaces control characters in the subject and decodes other headers for header()', async () => {
    // Prepare
    const mail = raw(['From: a@example.com', 'Subject: Hi\x1b[31m there ', 'X-Note: =?utf-8?Q?caf=C3=A9?=', '', 'Text', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.subject).toBe('Hi [31m there');
    expect(parsed.header('X-Note')).toBe('café');
    expect(parsed.header('x-missing')).toBeUndefined();
  });

  it('calls From ambiguous when it names several mailboxes or none', async () => {
    // Prepare
    const several = raw(['From: a@example.com, b@example.com', 'Subject: Two', '', 'Text', '']);
    const none = raw(['Subject: Nobody', '', 'Text', '']);

    // Act
    const [fromSeveral, fromNone] = await Promise.all([parseMail(several), parseMail(none)]);

    // Assert
    expect(fromSeveral).toMatchObject({ fromAmbiguous: true, fromAddress: undefined });
    expect(fromNone).toMatchObject({ fromAmbiguous: true, fromAddress: undefined, fromName: '' });
  });

  it('calls From ambiguous when two From headers name two senders, in either order', async () => {
    // Prepare: the first header would otherwise win, so the order chose whose ticket it became
    const victimFirst = raw(['From: victim@example.com', 'From: sender@example.org', 'Subject: Two headers', '', 'Text', '']);
    const senderFirst = raw(['From: sender@example.org', 'From: victim@example.com', 'Subject: Two headers', '', 'Text', '']);
    const sameTwice = raw(['From: a@example.com', 'From: a@example.com', 'Subject: Twice', '', 'Text', '']);

    // Act
    const parsed = await Promise.all([victimFirst, senderFirst, sameTwice].map((m) => parseMail(m)));

    // Assert: RFC 5322 allows one From header; a second is never a sender to trust
    for (const p of parsed) expect(p).toMatchObject({ fromAmbiguous: true, fromAddress: undefined });
  });

  it('calls From ambiguous when it is a group, even one with a single member', async () => {
    // Prepare
    const group = raw(['From: group: alice@example.com;', 'Subject: Group', '', 'Text', '']);
    const empty = raw(['From: undisclosed-recipients:;', 'Subject: Empty group', '', 'Text', '']);
    const named = raw(['From: Alice <alice@example.com>', 'Subject: One', '', 'Text', '']);

    // Act
    const [fromGroup, fromEmpty, fromNamed] = await Promise.all([group, empty, named].map((m) => parseMail(m)));

    // Assert: a group names recipients, not a sender; one real mailbox still passes
    expect(fromGroup).toMatchObject({ fromAmbiguous: true, fromAddress: undefined });
    expect(fromEmpty).toMatchObject({ fromAmbiguous: true, fromAddress: undefined });
    expect(fromNamed).toMatchObject({ fromAmbiguous: false, fromAddress: 'alice@example.com', fromName: 'Alice' });
  });
});

describe('parseMail: attachments', () => {
  it('reports the decoded size of base64 and quoted-printable attachments', async () => {
    // Prepare: 1001 bytes are 1336 characters of base64; "=" and 8-bit bytes triple in QP
    const binary = Buffer.alloc(1001, 0xa5);
    const qp = Buffer.from(`${'x=y '.repeat(100)}äöü`);
    const mail = await mime({
      subject: 'Files',
      text: 'See attached.',
      attachments: [
        { filename: 'data.bin', content: binary, contentTransferEncoding: 'base64' },
        { filename: 'notes.txt', content: qp, contentType: 'text/plain; charset=utf-8', contentTransferEncoding: 'quoted-printable' },
      ],
    });

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(mail.toString()).toContain('x=3Dy');
    expect(parsed.attachments).toEqual([
      { filename: 'data.bin', contentType: 'application/octet-stream', size: 1001 },
      { filename: 'notes.txt', contentType: 'text/plain', size: qp.length },
    ]);
  });

  it('lists images and a forwarded message as single attachments, unnamed ones as (unnamed)', async () => {
    // Prepare
    const forwarded = raw(['From: b@example.com', 'Subject: Inner', 'Content-Type: multipart/mixed; boundary=inner', '', '--inner', 'Content-Type: text/plain', '', 'Inner text', '--inner', 'Content-Type: image/png; name=inner.png', '', 'png', '--inner--', '']);
    const mail = raw([
      'From: a@example.com',
      'Subject: Fwd',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      'Outer text',
      '--outer',
      'Content-Type: image/jpeg',
      '',
      'jpeg',
      '--outer',
      'Content-Type: message/rfc822',
      'Content-Disposition: inline',
      '',
      forwarded.toString('latin1'),
      '--outer--',
      '',
    ]);

    // Act
    const parsed = await parseMail(mail);

    // Assert: the forwarded mail's own text and image are inside its one entry
    expect(parsed.text).toBe('Outer text');
    expect(parsed.attachments).toEqual([
      { filename: '(unnamed)', contentType: 'image/jpeg', size: 4 },
      { filename: '(unnamed)', contentType: 'message/rfc822', size: forwarded.length },
    ]);
  });

  it('lists at most maxAttachments and counts the rest', async () => {
    // Prepare
    const attachments = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ filename: `${name}.bin`, content: Buffer.from(name) }));
    const mail = await mime({ subject: 'Many', text: 'Five files.', attachments });

    // Act
    const parsed = await parseMail(mail, { ...DEFAULT_MAIL_LIMITS, maxAttachments: 3 });

    // Assert
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect(parsed.attachmentsOmitted).toBe(2);
  });

  it('cuts long file names to nameMaxChars, ending in an ellipsis', async () => {
    // Prepare
    const mail = await mime({ subject: 'Name', text: 'x', attachments: [{ filename: `${'🐸'.repeat(20)}.pdf`, content: Buffer.from('x') }] });

    // Act
    const parsed = await parseMail(mail, { ...DEFAULT_MAIL_LIMITS, nameMaxChars: 10 });

    // Assert: ten characters (frogs are one character, two UTF-16 units)
    expect(parsed.attachments[0]?.filename).toBe(`${'🐸'.repeat(9)}…`);
  });
});

describe('MimeMailParser.attachments: the bytes of each listed attachment, streamed', () => {
  const parser = new MimeMailParser();
  const collect = async (bytes: AsyncIterable<Uint8Array>) => {
    const chunks: Uint8Array[] = [];
    for await (const c of bytes) chunks.push(c);
    return Buffer.concat(chunks);
  };

  it('hands over each attachment’s decoded bytes, byte for byte, by the index parse lists it under', async () => {
    // Prepare: base64, quoted-printable and an inline image beside the text
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const qp = Buffer.from(`${'x=y '.repeat(100)}äöü`);
    const mail = await mime({
      text: 'See attached.',
      attachments: [
        { filename: 'data.bin', content: binary, contentTransferEncoding: 'base64' },
        { filename: 'notes.txt', content: qp, contentType: 'text/plain; charset=utf-8', contentTransferEncoding: 'quoted-printable' },
        { filename: 'logo.png', content: Buffer.from([1, 2, 3]), contentType: 'image/png', cid: 'logo@x' },
      ],
    });
    const listed = (await parseMail(mail)).attachments;
    const got = new Map<number, Buffer>();

    // Act: fed in small chunks, like S3's stream
    await parser.attachments(inChunks(mail, 1000), DEFAULT_MAIL_LIMITS, async (i, bytes) => void got.set(i, await collect(bytes)));

    // Assert
    expect([...got.keys()]).toEqual([0, 1, 2]);
    expect(got.get(0)).toEqual(binary);
    expect(got.get(1)).toEqual(qp);
    expect(got.get(2)).toEqual(Buffer.from([1, 2, 3]));
    expect([...got.values()].map((b) => b.length)).toEqual(listed.map((a) => a.size));
  });

  it('waits for a consumer that reads slowly instead of buffering ahead of it', async () => {
    // Prepare: 3 MB behind a consumer that takes a chunk per macrotask
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const mail = await mime({ text: 'x', attachments: [{ filename: 'big.bin', content: big }] });
    let buffered = 0;
    let read = 0;

    // Act
    await parser.attachments(mail, DEFAULT_MAIL_LIMITS, async (_i, bytes) => {
      for await (const chunk of bytes) {
        read += chunk.byteLength;
        buffered = Math.max(buffered, (bytes as unknown as { readableLength: number }).readableLength);
        await new Promise((r) => setImmediate(r));
      }
    });

    // Assert: all of it arrived, and what waited unread stayed within the stream's own buffer (well below the file)
    expect(read).toBe(big.length);
    expect(buffered).toBeLessThan(256 * 1024);
  });

  it('stops reading when a consumer fails, and fails with its error', async () => {
    // Prepare
    const mail = await mime({ text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(500_000, 1) }, { filename: 'b.bin', content: Buffer.alloc(10, 2) }] });
    const seen: number[] = [];

    // Act / Assert
    await expect(
      parser.attachments(inChunks(mail, 4096), DEFAULT_MAIL_LIMITS, async (i) => {
        seen.push(i);
        throw new Error('store refused');
      }),
    ).rejects.toThrow('store refused');
    expect(seen).toEqual([0]);
  });
});

describe('parseMail: reports (RFC 6522)', () => {
  function report(reportType: string, machinePart: string[]): Buffer {
    return raw([
      'From: MAILER-DAEMON@mx.example.org',
      'Subject: Report',
      `Content-Type: multipart/report; report-type=${reportType}; boundary=r`,
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'Human readable part.',
      '--r',
      ...machinePart,
      '--r',
      'Content-Type: text/rfc822-headers',
      '',
      'Subject: the original',
      '--r--',
      '',
    ]);
  }

  it.each([
    ['delivery-status', ['Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.org', '', 'Final-Recipient: rfc822; gone@example.com', 'Action: failed', 'Status: 5.1.1']],
    ['disposition-notification', ['Content-Type: message/disposition-notification', '', 'Final-Recipient: rfc822; alice@example.com', 'Disposition: manual-action/MDN-sent-manually; displayed']],
    ['feedback-report', ['Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: SomeGenerator/1.0', 'Version: 1']],
  ])('recognises a %s report', async (reportType, machinePart) => {
    // Prepare
    const mail = report(reportType.toUpperCase(), machinePart);

    // Act
    const parsed = await parseMail(mail);

    // Assert: the type is lower-cased, the human part is the text, the machine part an attachment
    expect(parsed.reportType).toBe(reportType);
    expect(parsed.text).toBe('Human readable part.');
    expect(parsed.attachments.map((a) => a.contentType)).toEqual([`message/${reportType}`]);
  });

  it('does not call a multipart/mixed mail a report', async () => {
    // Prepare
    const mail = await mime({ subject: 'Not a report', text: 'x', attachments: [{ filename: 'a.txt', content: 'a' }] });

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.reportType).toBeUndefined();
  });
});

describe('parseMail: hostile input', () => {
  it('rejects binary garbage as malformed', async () => {
    // Prepare: deterministic pseudo-random bytes, so the case is the same on every run
    let seed = 42;
    const garbage = Buffer.alloc(256 * 1024, 0).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 23);

    // Act
    const parsing = parseMail(garbage);

    // Assert: no header a mail has could be read
    await expect(parsing).rejects.toThrow(MalformedMailError);
    await expect(parsing).rejects.toThrow(/no mail header/);
  });

  it('rejects an empty message as malformed', async () => {
    // Prepare
    const empty = new Uint8Array(0);

    // Act
    const parsing = parseMail(empty);

    // Assert
    await expect(parsing).rejects.toThrow(MalformedMailError);
  });

  it('reads a mail with a 600 kB header block', async () => {
    // Prepare
    const filler = Array.from({ length: 6000 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(90)}`);
    const mail = raw(['From: a@example.com', ...filler, 'Subject: Still here', '', 'Body', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(mail.length).toBeGreaterThan(600_000);
    expect(parsed).toMatchObject({ subject: 'Still here', fromAddress: 'a@example.com', text: 'Body\n' });
  });

  it('rejects a header block far beyond any real mail as malformed', async () => {
    // Prepare: every header line counts at least 64 bytes against the 2 MiB bound
    const mail = raw(['From: a@example.com', ...Array.from({ length: 40_000 }, () => 'X-A: b'), '', 'Body', '']);

    // Act
    const parsing = parseMail(mail);

    // Assert
    await expect(parsing).rejects.toThrow(MalformedMailError);
  });

  function nested(depth: number): Buffer {
    const opening = Array.from({ length: depth }, (_, i) => [`--n${i}`, `Content-Type: multipart/mixed; boundary=n${i + 1}`, '']).flat();
    const closing = Array.from({ length: depth }, (_, i) => `--n${depth - i}--`);
    return raw([
      'From: a@example.com',
      'Subject: Deep',
      'Content-Type: multipart/mixed; boundary=n0',
      '',
      '--n0',
      'Content-Type: text/plain',
      '',
      'Top text',
      ...opening,
      `--n${depth}`,
      'Content-Type: text/plain',
      '',
      'Deep text',
      ...closing,
      '--n0',
      'Content-Type: image/png; name=after.png',
      '',
      'png',
      '--n0--',
      '',
    ]);
  }

  it('treats parts nested deeper than 50 levels as one opaque attachment and reads on after them', async () => {
    // Prepare
    const mail = nested(60);

    // Act
    const parsed = await parseMail(mail);

    // Assert: the multipart at depth 50 stands for everything below it; its sibling after it is read
    expect(parsed.text).toBe('Top text');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['(unnamed)', 'multipart/mixed'],
      ['after.png', 'image/png'],
    ]);
    expect(parsed.attachments[0]?.size).toBeGreaterThan('Deep text'.length);
  });

  it('stops reading, without failing, at parts nested 1000 levels deep', async () => {
    // Prepare
    const mail = nested(1000);

    // Act
    const parsed = await parseMail(mail);

    // Assert: what came before the nesting stands; past 100 levels the mail is read no further
    expect(parsed.text).toBe('Top text');
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['multipart/mixed']);
  });

  it('reads the parts before and inside a boundary that never closes', async () => {
    // Prepare
    const content = Buffer.alloc(3000, 7);
    const mail = raw([
      'From: a@example.com',
      'Subject: Unclosed',
      'Content-Type: multipart/mixed; boundary=open',
      '',
      '--open',
      'Content-Type: text/plain',
      '',
      'Before the end',
      '--open',
      'Content-Type: application/octet-stream; name=cut.bin',
      'Content-Transfer-Encoding: base64',
      '',
      content.toString('base64'),
    ]);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text).toBe('Before the end');
    expect(parsed.attachments).toEqual([{ filename: 'cut.bin', contentType: 'application/octet-stream', size: 3000 }]);
  });

  it('counts 10 000 tiny parts without listing them all', async () => {
    // Prepare
    const parts = Array.from({ length: 10_000 }, (_, i) => [`--t`, `Content-Type: application/octet-stream; name=p${i}.bin`, '', 'x']).flat();
    const mail = raw(['From: a@example.com', 'Subject: Tiny', 'Content-Type: multipart/mixed; boundary=t', '', '--t', 'Content-Type: text/plain', '', 'Many parts', ...parts, '--t--', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed.text).toBe('Many parts');
    expect(parsed.attachments).toHaveLength(DEFAULT_MAIL_LIMITS.maxAttachments);
    expect(parsed.attachments[99]).toEqual({ filename: 'p99.bin', contentType: 'application/octet-stream', size: 1 });
    expect(parsed.attachmentsOmitted).toBe(10_000 - DEFAULT_MAIL_LIMITS.maxAttachments);
  });

  it('keeps what was read when the splitter gives up on too many parts', async () => {
    // Prepare: more parts than the splitter accepts (20 000)
    const parts = Array.from({ length: 25_000 }, () => [`--t`, 'Content-Type: image/gif', '', 'x']).flat();
    const mail = raw(['From: a@example.com', 'Subject: Too many', 'Content-Type: multipart/mixed; boundary=t', '', '--t', 'Content-Type: text/plain', '', 'Still read', ...parts, '--t--', '']);

    // Act
    const parsed = await parseMail(mail);

    // Assert
    expect(parsed).toMatchObject({ subject: 'Too many', text: 'Still read' });
    expect(parsed.attachments.length + parsed.attachmentsOmitted).toBeLessThan(25_000);
  });
});

describe('parseMail: streamed input', () => {
  it('gives the same result for a stream of small chunks as for one buffer', async () => {
    // Prepare: chunk edges fall inside boundaries, encoded words and base64 quads
    const mail = Buffer.concat([
      raw(['From: J\xF6rg <j@example.de>', 'X-Note: =?ISO-8859-1?Q?Fr\xF6sche?=', '']),
      await mime({ subject: 'Streamed', text: 'Grüße 🐸 '.repeat(500), html: '<p>x</p>', attachments: [{ filename: 'f.bin', content: Buffer.alloc(5000, 3) }] }),
    ]);

    // Act
    const [fromBuffer, fromStream] = await Promise.all([parseMail(mail), parseMail(inChunks(mail, 7))]);

    // Assert
    expect(comparable(fromStream)).toEqual(comparable(fromBuffer));
    expect(fromStream.attachments).toEqual([{ filename: 'f.bin', contentType: 'application/octet-stream', size: 5000 }]);
  });

  it('passes on a failing input stream: that is not the mail’s fault', async () => {
    // Prepare
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\n');
      throw new Error('socket hang up');
    }

    // Act
    const parsing = parseMail(failing());

    // Assert: a retry may succeed, so this is no MalformedMailError
    await expect(parsing).rejects.toThrow('socket hang up');
    await expect(parsing).rejects.not.toThrow(MalformedMailError);
  });
});

describe('parseMail: memory', () => {
  const run = promisify(execFile);

  async function peak(kind: string): Promise<MemoryReport> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/parse-mail-memory.ts', kind, '40'], { cwd: process.cwd(), timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as MemoryReport;
  }

  it('stays under 384 MB peak RSS for 40 MB of text, of HTML and of attachment, streamed in 64 kB chunks', async () => {
    // Prepare, Act: one fresh process per mail, so each high-water mark is its own
    const [text, html, attachment] = await Promise.all([peak('text'), peak('html'), peak('attachment')]);

    // Assert
    for (const r of [text, html, attachment]) {
      expect(r.mailBytes).toBeGreaterThan(40 * 1024 * 1024);
      expect(r.maxRssMb).toBeLessThan(384);
    }
    expect(text).toMatchObject({ textBytes: DEFAULT_MAIL_LIMITS.textMaxBytes, textTruncated: true });
    expect(html.textTruncated).toBe(true);
    expect(attachment.attachments).toEqual([{ filename: 'scan.pdf', size: attachment.attachmentBytes }]);
  }, 60_000);
});
