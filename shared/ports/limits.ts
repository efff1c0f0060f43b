/**
 * Rate limits taken atomically: one conditional write that adds a member to a bucket only while
 * the bucket holds fewer than the limit. Adding a member that is already in is free, so a
 * retried delivery never counts twice.
 */
export interface RateLimiter {
  /** True when `member` fits into the bucket (or is in it already); the bucket ends at `expiresAt`. */
  take(bucket: string, member: string, limit: number, expiresAt: string): Promise<boolean>;
}
