import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Shoppers are identified by a signed session cookie (issue: "shoppers
 * identified by a session cookie"): `vitrine_session=<shopperId>.<mac>`,
 * with mac = HMAC-SHA256(secret, shopperId) in base64url, so a browser
 * cannot pose as another shopper by editing it. A visitor without a cookie
 * gets an anonymous shopper id ("anon-" + 12 hex digits) on their first
 * request that needs one.
 */

export const SESSION_COOKIE = 'vitrine_session';
const MAX_AGE_S = 180 * 86_400;

export class SessionCodec {
  private readonly secret: Buffer;

  constructor(secret: string | null) {
    this.secret = secret === null ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  private mac(shopperId: string): string {
    return createHmac('sha256', this.secret).update(shopperId).digest('base64url');
  }

  /** The cookie value for a shopper. */
  sign(shopperId: string): string {
    return `${encodeURIComponent(shopperId)}.${this.mac(shopperId)}`;
  }

  /** The shopper of a cookie value, or undefined when it is malformed or its signature is wrong. */
  verify(value: string): string | undefined {
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return undefined;
    let shopperId: string;
    try {
      shopperId = decodeURIComponent(value.slice(0, dot));
    } catch {
      return undefined;
    }
    const given = Buffer.from(value.slice(dot + 1));
    const want = Buffer.from(this.mac(shopperId));
    return given.length === want.length && timingSafeEqual(given, want) ? shopperId : undefined;
  }

  /** A Set-Cookie header value. */
  setCookie(shopperId: string, secure = false): string {
    return `${SESSION_COOKIE}=${this.sign(shopperId)}; Path=/; Max-Age=${MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }

  /** A Set-Cookie header value that ends the session. */
  clearCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
  }
}

/** A fresh anonymous shopper id. */
export function anonymousShopperId(): string {
  return `anon-${randomBytes(6).toString('hex')}`;
}

/** The value of cookie `name` in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
