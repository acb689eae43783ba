import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `given` equals `expected`, in time that depends on neither: both are hashed first, so the
 * comparison is over equal-length digests and leaks no length or prefix.
 */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * The cookie value that stands for `token`: derived from it, so the cookie never holds the token
 * itself and cannot be replayed as a bearer token.
 */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('clipbot-dashboard-session').digest('base64url');
}
