import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { fail } from '../../core/errors.js';
import type { ApiKeyRole } from '../../store/serving-types.js';
import type { ServeContext } from '../context.js';
import { ROLE_RANK, type Principal } from './api-keys.js';
import { anonymousShopperId, readCookie, SESSION_COOKIE } from './session-cookie.js';

/**
 * Who is calling. API keys travel in `x-api-key` (or `Authorization:
 * Bearer <key>`); shoppers in the session cookie. Guards throw VitrineError
 * (UNAUTHORIZED for a missing or bad key, FORBIDDEN for a key of too low a
 * role), which the error handler turns into 401/403 JSON.
 */

/** The raw key of a request, if any. */
export function apiKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  return undefined;
}

/** The verified principal of a request; undefined without a key, UNAUTHORIZED for a bad one. */
export function principalOf(ctx: ServeContext, req: FastifyRequest): Principal | undefined {
  const key = apiKeyOf(req);
  return key === undefined ? undefined : ctx.keys.verify(key);
}

/** Throws unless `p` has at least `role`. */
export function checkRole(p: Principal | undefined, role: ApiKeyRole): Principal {
  if (p === undefined) fail('UNAUTHORIZED', `this route needs an API key of role ${role}`);
  if (ROLE_RANK[p.role] < ROLE_RANK[role]) fail('FORBIDDEN', `API key ${p.keyId} has role ${p.role}; this route needs ${role}`);
  return p;
}

/** An onRequest hook that admits keys of `role` or above (before the body is read or validated). */
export function requireRole(ctx: ServeContext, role: ApiKeyRole): onRequestHookHandler {
  return async (req) => {
    checkRole(principalOf(ctx, req), role);
  };
}

/** The shopper of the session cookie, if it carries a valid one. */
export function sessionShopperOf(ctx: ServeContext, req: FastifyRequest): string | undefined {
  const value = readCookie(req.headers.cookie, SESSION_COOKIE);
  return value === undefined ? undefined : ctx.sessions.verify(value);
}

/** The session shopper, starting an anonymous session (Set-Cookie) when there is none. */
export function ensureSessionShopper(ctx: ServeContext, req: FastifyRequest, reply: FastifyReply): string {
  const existing = sessionShopperOf(ctx, req);
  if (existing !== undefined) return existing;
  const id = anonymousShopperId();
  void reply.header('set-cookie', ctx.sessions.setCookie(id));
  return id;
}

/**
 * The shopper a recommendation request is for: an explicit `shopperId`, else
 * the session's (started anonymously when missing).
 */
export function shopperForRequest(ctx: ServeContext, req: FastifyRequest, reply: FastifyReply, explicit: string | undefined): { shopperId: string; fromSession: boolean } {
  if (explicit !== undefined) return { shopperId: explicit, fromSession: explicit === sessionShopperOf(ctx, req) };
  return { shopperId: ensureSessionShopper(ctx, req, reply), fromSession: true };
}
