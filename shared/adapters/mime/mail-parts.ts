/**
 * One streaming pass over raw MIME with mailsplit's Splitter that keeps only what parseMail
 * needs: the top-level header block, a bounded prefix of the article text (and of the first
 * HTML part, for mail whose text is missing or blank), and name, type and decoded size of each
 * listed attachment. Every other body byte is counted or dropped as it streams by, so memory
 * stays flat whether the mail is 10 kB or the 40 MB SES allows.
 *
 * Given `onAttachment`, the same pass also hands each listed attachment's decoded bytes to it as a
 * stream (the inbound path stores them in S3 as they come), with backpressure: the splitter waits
 * while the consumer is behind, so memory stays flat here too. A consumer that fails stops the pass.
 * (An attachment reached only below MAX_DEPTH is listed but never decoded, so never handed on.)
 * One pass and its walker's states belong together, so this file runs to about 300 lines.
 */
import { pipeline, finished } from 'node:stream/promises';
import { isUtf8 } from 'node:buffer';
import { PassThrough, type Transform } from 'node:stream';
import { MimeNode, Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import type { AttachmentInfo } from '../../domain/model.js';
import { withoutControls } from '../../domain/mail-rules.js';
import { messageCharset, repairHeaderBytes } from './header-bytes.js';

export type PartNode = Extract<SplitterChunk, { type: 'node' }>;

export interface PartLimits {
  /** Most decoded bytes of the text/plain part kept (before charset decoding). */
  textBytes: number;
  /** Most decoded bytes of the HTML part kept. */
  htmlBytes: number;
  maxAttachments: number;
  nameMaxChars: number;
}

export interface PartsRead {
  /** The top-level header block as received; undefined when the splitter never got past it. */
  rootHeader?: Buffer;
  rootCharset?: string;
  /** Charset of the first text part that declares one: the fallback for 8-bit headers. */
  firstTextCharset?: string;
  text?: BodyPrefix;
  html?: BodyPrefix;
  attachments: AttachmentInfo[];
  attachmentsOmitted: number;
}

// Deeper than any real mail nests; below it a subtree is one opaque attachment, not walked.
const MAX_DEPTH = 50;
// The splitter compares every delimiter-like line with the boundary of every open multipart,
// so its time grows with the nesting (~3 s for 40 MB at this depth): the mail is read no further.
const STOP_DEPTH = 2 * MAX_DEPTH;
// mailsplit counts every header line as at least 64 bytes, so this also bounds the line count;
// 600 kB of Received/ARC lines still fit, a header block that is an attack does not.
const MAX_HEAD_BYTES = 2 * 1024 * 1024;
// Beyond this many parts the splitter stops and we keep what was read: 10 000 tiny parts still pass.
const MAX_PARTS = 20_000;
// A whole buffer is fed in slices like a stream so the splitter can yield between them.
const INPUT_CHUNK_BYTES = 64 * 1024;

/** The first bytes of one decoded body part; `more` when the part went on past them. */
export class BodyPrefix {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  more = false;

  constructor(
    readonly node: PartNode,
    private readonly limit: number,
  ) {}

  get full(): boolean {
    return this.kept >= this.limit;
  }

  add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (chunk.length > room) this.more = true;
    if (room <= 0) return;
    // A copy: a view would pin the decoder's (or the input's) whole chunk.
    const taken = Buffer.from(chunk.subarray(0, room));
    this.chunks.push(taken);
    this.kept += taken.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept);
  }
}

interface OpenPart {
  decoder: Transform;
  prefix?: BodyPrefix;
  /** Its bytes go on to a consumer: writing waits when the consumer is behind. */
  handedOn?: boolean;
}

/** Until the stream takes more (or is gone, when its consumer failed). */
const drained = (stream: Transform) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    stream.on('drain', done).on('close', done).on('error', done);
  });

/** Takes one listed attachment's decoded bytes; resolves once they are stored. */
export type AttachmentSink = (index: number, entry: AttachmentInfo, bytes: AsyncIterable<Buffer>) => Promise<void>;

/** Reads `raw` through the splitter. Input (e.g. S3) errors propagate; a message the splitter gives up on yields what was read before. */
export async function readParts(raw: Uint8Array | AsyncIterable<Uint8Array>, limits: PartLimits, onAttachment?: AttachmentSink): Promise<PartsRead> {
  const walker = new PartWalker(limits, onAttachment);
  const splitter = new Splitter({ ignoreEmbedded: true, maxHeadSize: MAX_HEAD_BYTES, maxChildNodes: MAX_PARTS });
  let failed: 'input' | 'walker' | undefined;
  async function* input() {
    try {
      yield* inputChunks(raw);
    } catch (e) {
      failed = 'input';
      throw e;
    }
  }
  try {
    await pipeline(input(), splitter, async (chunks: AsyncIterable<SplitterChunk>) => {
      for await (const chunk of chunks) {
        try {
          await walker.take(chunk);
        } catch (e) {
          if (!(e instanceof StopReading)) failed = 'walker';
          throw e;
        }
      }
    });
  } catch (e) {
    // Only the splitter's own refusal (size limits, too many parts) or ours (nesting) is the mail's fault.
    if (failed) throw e;
    walker.cutShort();
  }
  return walker.finish();
}

async function* inputChunks(raw: Uint8Array | AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  if (raw instanceof Uint8Array) {
    for (let at = 0; at < raw.byteLength; at += INPUT_CHUNK_BYTES) {
      yield Buffer.from(raw.buffer, raw.byteOffset + at, Math.min(INPUT_CHUNK_BYTES, raw.byteLength - at));
    }
    return;
  }
  for await (const chunk of raw) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Thrown by the walker to end the pass early; what was read so far stands. */
class StopReading extends Error {}

class PartWalker {
  private readonly read: PartsRead = { attachments: [], attachmentsOmitted: 0 };
  private readonly depths = new WeakMap<object, number>();
  private readonly decoding: Promise<unknown>[] = [];
  private open?: OpenPart;
  /** The multipart at MAX_DEPTH whose whole subtree counts as one attachment (size: its raw bytes). */
  private opaque?: { node: PartNode; entry?: AttachmentInfo };

  /** Attachments being handed on, and the first failure of one: it stops the pass. */
  private readonly handing: Promise<unknown>[] = [];
  private failure?: Error;

  constructor(
    private readonly limits: PartLimits,
    private readonly onAttachment?: AttachmentSink,
  ) {}

  take(chunk: SplitterChunk): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (chunk.type === 'node') return this.onNode(chunk);
    if (this.opaque && (chunk.node === this.opaque.node || this.depthOf(chunk.node) > MAX_DEPTH)) {
      if (this.opaque.entry) this.opaque.entry.size += chunk.value.length;
      return;
    }
    if (chunk.type !== 'body' || !this.open) return;
    if (this.open.prefix?.full) this.open.prefix.more = true;
    else if (!this.open.decoder.write(chunk.value) && this.open.handedOn) return drained(this.open.decoder);
  }

  /** The splitter stopped inside the message: whatever part was open did not end. */
  cutShort(): void {
    if (this.open?.prefix) this.open.prefix.more = true;
  }

  async finish(): Promise<PartsRead> {
    this.close();
    await Promise.all(this.decoding);
    await Promise.all(this.handing);
    if (this.failure) throw this.failure;
    return this.read;
  }

  private onNode(node: PartNode): void {
    this.close();
    const depth = this.depthOf(node);
    this.depths.set(node, depth);
    if (node.root) {
      this.read.rootHeader = node.getHeaders();
      this.read.rootCharset = node.charset || undefined;
    }
    if (depth > STOP_DEPTH) throw new StopReading(`nested deeper than ${STOP_DEPTH}`);
    if (depth > MAX_DEPTH) return;
    this.opaque = undefined;
    if (node.multipart) {
      if (depth === MAX_DEPTH) this.opaque = { node, entry: this.list(node) };
      return;
    }
    this.onLeaf(node);
  }

  private onLeaf(node: PartNode): void {
    const type = node.contentType || 'text/plain';
    const named = node.disposition === 'attachment' || node.filename !== false;
    if (type.startsWith('text/') && node.charset && this.read.firstTextCharset === undefined) this.read.firstTextCharset = node.charset;

    if (type === 'text/plain' && !named) {
      if (!this.read.text) this.capture(node, (this.read.text = new BodyPrefix(node, this.limits.textBytes)));
      return;
    }
    // The HTML beside the text in an alternative is the same article, never an attachment.
    const alternative = node.parentNode && node.parentNode.multipart === 'alternative';
    if (type === 'text/html' && (!named || alternative)) {
      if (!this.read.html) this.capture(node, (this.read.html = new BodyPrefix(node, this.limits.htmlBytes)));
      return;
    }
    if (named || !type.startsWith('text/')) {
      const entry = this.list(node);
      if (!entry) return;
      this.decode(node, (chunk) => (entry.size += chunk.length));
      if (this.onAttachment && this.open) this.handOn(this.open, this.read.attachments.length - 1, entry);
    }
    // Further inline text parts (a second text/plain, a report's text/rfc822-headers) are neither.
  }

  private list(node: PartNode): AttachmentInfo | undefined {
    if (this.read.attachments.length >= this.limits.maxAttachments) {
      this.read.attachmentsOmitted++;
      return undefined;
    }
    const entry = { filename: this.filenameOf(node), contentType: node.contentType || 'application/octet-stream', size: 0 };
    this.read.attachments.push(entry);
    return entry;
  }

  /** mailsplit reads 8-bit header bytes as latin1; reparsing the repaired block gets the right name. */
  private filenameOf(node: PartNode): string {
    let name = node.filename;
    const header = node.getHeaders();
    if (name && !isUtf8(header)) {
      const repaired = new MimeNode(false, {});
      repaired.addHeaderChunk(repairHeaderBytes(header, messageCharset(this.read.rootCharset, this.read.firstTextCharset)));
      repaired.parseHeaders();
      name = repaired.filename;
    }
    return shortened(withoutControls(name || '').trim(), this.limits.nameMaxChars) || '(unnamed)';
  }

  /** The part's decoded bytes also go to the consumer, as a stream with backpressure. */
  private handOn(part: OpenPart, index: number, entry: AttachmentInfo): void {
    const bytes = new PassThrough();
    part.decoder.pipe(bytes);
    part.handedOn = true;
    this.handing.push(
      this.onAttachment!(index, entry, bytes).catch((e: unknown) => {
        this.failure ??= e as Error;
        // Nobody reads on: the decoder must not wait for a drain that never comes.
        bytes.destroy();
        part.decoder.destroy();
      }),
    );
  }

  private capture(node: PartNode, prefix: BodyPrefix): void {
    this.decode(node, (chunk) => prefix.add(chunk), prefix);
  }

  private decode(node: PartNode, sink: (chunk: Buffer) => void, prefix?: BodyPrefix): void {
    const decoder = node.getDecoder();
    decoder.on('data', sink);
    // A decoder that chokes on garbage ends the part's bytes there; it never fails the mail.
    this.decoding.push(finished(decoder).catch(() => undefined));
    this.open = { decoder, prefix };
  }

  private close(): void {
    this.open?.decoder.end();
    this.open = undefined;
  }

  private depthOf(node: PartNode): number {
    const known = this.depths.get(node);
    if (known !== undefined) return known;
    return node.parentNode ? (this.depths.get(node.parentNode) ?? MAX_DEPTH) + 1 : 0;
  }
}

/** At most `max` characters (code points), the last one '…' when something was cut. */
export function shortened(value: string, max: number): string {
  const chars = [...value];
  if (chars.length <= max) return value;
  return max > 0 ? `${chars.slice(0, max - 1).join('')}…` : '';
}
