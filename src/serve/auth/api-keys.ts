import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { API_KEY_ROLES, type ApiKeyRecord, type ApiKeyRole } from '../../store/serving-types.js';

/**
 * API keys for the write, seller and admin routes. A key reads
 *   vk_<id>_<secret>
 * with <id> 9 characters ("k" + 8 hex) that name it in lists and logs, and
 * <secret> 32 random bytes in base64url. The store keeps only SHA-256 of the
 * secret: with 256 bits of entropy a fast hash suffices (no password
 * stretching needed), and the key is shown once, when created.
 *
 * Roles nest: admin may do what a seller may, a seller what a writer may.
 */

export const ROLE_RANK: Readonly<Record<ApiKeyRole, number>> = Object.freeze({ writer: 1, seller: 2, admin: 3 });

export interface CreatedKey extends ApiKeyRecord {
  /** The whole key; shown once, never stored. */
  key: string;
}

const KEY_PATTERN = /^vk_(k[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function isRole(r: string): r is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(r);
}

/** Creates a key of `role`, stores its hash and returns the key (the only time it is seen). */
export function createApiKey(store: Store, role: string, label = '', now = new Date()): CreatedKey {
  if (!isRole(role)) fail('INVALID_ARGUMENT', `unknown role "${role}"`, { hint: `one of ${API_KEY_ROLES.join(', ')}` });
  const id = `k${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = { id, role, label, createdAt: now.toISOString(), revokedAt: null };
  store.addApiKey({ ...record, hash: sha256(secret) });
  return { ...record, key: `vk_${id}_${secret}` };
}

/** A verified caller. */
export interface Principal {
  keyId: string;
  role: ApiKeyRole;
}

/**
 * Verifies keys against the store, caching what it read for `ttlMs` so the
 * hot write path does not query SQLite per request; revoking through
 * `forget` takes effect at once (from another process: within ttlMs).
 */
export class KeyVerifier {
  private readonly cache = new Map<string, { role: ApiKeyRole; hash: Buffer; revoked: boolean; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The principal of `key`; UNAUTHORIZED for a malformed, unknown or revoked key. */
  verify(key: string): Principal {
    const m = KEY_PATTERN.exec(key);
    if (m === null) fail('UNAUTHORIZED', 'malformed API key');
    const [, id, secret] = m as unknown as [string, string, string];
    const entry = this.lookup(id);
    const given = Buffer.from(sha256(secret), 'hex');
    if (entry === undefined || entry.hash.length !== given.length || !timingSafeEqual(given, entry.hash)) fail('UNAUTHORIZED', 'unknown API key');
    if (entry.revoked) fail('UNAUTHORIZED', `API key ${id} was revoked`);
    return { keyId: id, role: entry.role };
  }

  /** Drops a cached key (after a revocation). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private lookup(id: string): { role: ApiKeyRole; hash: Buffer; revoked: boolean } | undefined {
    const now = this.clock();
    const hit = this.cache.get(id);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit;
    const stored = this.store.getApiKey(id);
    if (stored === undefined) {
      this.cache.delete(id);
      return undefined;
    }
    const entry = { role: stored.role, hash: Buffer.from(stored.hash, 'hex'), revoked: stored.revokedAt !== null, at: now };
    this.cache.set(id, entry);
    return entry;
  }
}
