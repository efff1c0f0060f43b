/**
 * A ticket's files (docs/links-and-portal.md, "Attachments"): bytes kept as objects in the
 * raw-mail bucket under the prefixes of shared/domain/files.ts. Writing, handing out and describing
 * are three ports, so each function's bundle — and so its role — holds only what it does.
 */
export interface FileStore {
  /**
   * Stores bytes under a key of ours (FILE_PREFIXES.attachments); the same key again overwrites, so a
   * retried write lands on the same object. A stream's `size` must be its exact length.
   */
  put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>, meta: { contentType: string; size: number }): Promise<void>;
}

export interface FileLinks {
  /**
   * A URL, valid for `expiresInSeconds`, that downloads the object as an attachment named `filename`
   * with type `contentType` — served from the store's own origin, never the portal's.
   */
  downloadUrl(key: string, file: { filename: string; contentType: string }, expiresInSeconds: number): Promise<string>;
}

export interface HelpdeskFiles {
  /** Size and type of a file the helpdesk put (FILE_PREFIXES.helpdesk); undefined when there is none to read. */
  describe(key: string): Promise<{ size: number; contentType: string } | undefined>;
}
