/**
 * The arithmetic of the hourly limits (docs/links-and-portal.md, "Sign-in codes" and "Send me a
 * new link"): which window a moment falls in, when it ends, and which network a client's address
 * counts for. Windows are clock hours (UTC), the same for every bucket, so a page can say when
 * to try again.
 */
const HOUR_MS = 3_600_000;

export interface HourWindow {
  /** Whole hours since the epoch: part of a bucket's key. */
  index: number;
  /** When the window ends: a page says "try again after" it. */
  endsAt: string;
  /** When a bucket of this window may be deleted (TTL): an hour after it ends. */
  expiresAt: string;
}

export function hourWindow(now: Date): HourWindow {
  const index = Math.floor(now.getTime() / HOUR_MS);
  return { index, endsAt: new Date((index + 1) * HOUR_MS).toISOString(), expiresAt: new Date((index + 2) * HOUR_MS).toISOString() };
}

/**
 * The network a client's address counts for in a per-client limit: an IPv4 address is itself
 * (one address is one client, or one NAT of many); an IPv6 address counts for its /64, the
 * smallest network a provider hands out, within which a client may pick any address it likes.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().toLowerCase();
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address.split('%')[0]!);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** The eight groups of an IPv6 address, without leading zeros; undefined when it is not one. */
function expandIpv6(address: string): string[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  // An embedded IPv4 tail (::ffff:1.2.3.4 is handled above; 64:ff9b::1.2.3.4 here) is two groups.
  const last = tail.at(-1) ?? head.at(-1);
  if (last?.includes('.')) {
    const bytes = last.split('.').map(Number);
    const both = [((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0), ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)].map((n) => n.toString(16));
    (tail.length ? tail : head).splice(-1, 1, ...both);
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
