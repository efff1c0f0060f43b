/** Pagination shared by every listing port; the cursor is opaque to callers. */
export interface PageRequest {
  /** Most items to return; all of them when unset. */
  limit?: number;
  /** From the previous page's `cursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Set when more items may follow. */
  cursor?: string;
}
