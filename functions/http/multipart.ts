/**
 * A portal reply's form as multipart/form-data (docs/links-and-portal.md, "Attachments"): read with
 * busboy, a streaming parser, from the body API Gateway hands over base64-encoded (as it does every
 * binary body). The reply route imports this module only for such a form, so no other route's cold
 * start loads busboy.
 *
 * ReplyAttachments bounds it: more than MaxFiles files, or more than MaxBytes in all files together,
 * is refused as a whole (UploadTooLargeError → a 413 page naming the limits) before anything is stored.
 * The text fields keep the limit of the form-encoded post (MAX_FORM_BYTES).
 */
import busboy from 'busboy';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Config } from '../../shared/config.js';
import type { UploadedFile } from '../../shared/use-cases/reply-in-portal.js';
import { UploadTooLargeError } from '../../shared/web/forms.js';
import { header, HttpRequestError, MAX_FORM_BYTES } from '../../shared/web/http.js';

type FileLimits = Config['ReplyAttachments'];

const MAX_FIELDS = 10;

export async function readMultipart(event: APIGatewayProxyEventV2, limits: FileLimits): Promise<{ fields: Map<string, string>; files: UploadedFile[] }> {
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  // The whole body first: what cannot fit is refused without parsing a byte of it.
  if (body.byteLength > limits.MaxBytes + MAX_FORM_BYTES) throw new UploadTooLargeError(limits, `multipart body of ${body.byteLength} bytes`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': header(event, 'content-type') ?? '' },
      limits: { files: limits.MaxFiles, fileSize: limits.MaxBytes, fields: MAX_FIELDS, fieldSize: MAX_FORM_BYTES, parts: limits.MaxFiles + MAX_FIELDS },
      defParamCharset: 'utf8',
    });
  } catch (e) {
    throw new HttpRequestError(400, `multipart form not understood: ${(e as Error).message}`);
  }
  const fields = new Map<string, string>();
  const files: UploadedFile[] = [];
  let total = 0;
  let refused: Error | undefined;
  const refuse = (e: Error) => (refused ??= e);
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) refuse(new HttpRequestError(413, `form field ${name.slice(0, 40)} over ${MAX_FORM_BYTES} bytes`));
    if (!fields.has(name)) fields.set(name, value);
  });
  parser.on('file', (_name, stream, info) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limits.MaxBytes) refuse(new UploadTooLargeError(limits, `files of more than ${limits.MaxBytes} bytes together`));
      else chunks.push(chunk);
    });
    stream.on('limit', () => refuse(new UploadTooLargeError(limits, `a file of more than ${limits.MaxBytes} bytes`)));
    stream.on('close', () => {
      const bytes = Buffer.concat(chunks);
      // A file input left empty still sends a part: no name, no bytes.
      if (info.filename || bytes.byteLength > 0) files.push({ filename: info.filename ?? '', contentType: info.mimeType, bytes });
    });
  });
  parser.on('filesLimit', () => refuse(new UploadTooLargeError(limits, `more than ${limits.MaxFiles} files`)));
  parser.on('partsLimit', () => refuse(new UploadTooLargeError(limits, 'too many parts')));
  parser.on('fieldsLimit', () => refuse(new HttpRequestError(400, 'too many form fields')));
  await new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (e: Error) => reject(new HttpRequestError(400, `multipart form not understood: ${e.message}`)));
    parser.end(body);
  });
  if (refused) throw refused;
  return { fields, files };
}
