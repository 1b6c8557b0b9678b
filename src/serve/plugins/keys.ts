import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { createApiKey } from '../auth/api-keys.js';
import { principalOf, requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, security } from '../schemas/common.js';
import { CreatedKeySchema, KeyCreateSchema, KeySchema, type KeyCreateInput } from '../schemas/admin.js';

/**
 * API keys, for admins: create (the key is in this one reply, and only its
 * hash is stored), list (never secrets), revoke (effective at once here).
 * The first admin key comes from the CLI: `vitrine keys create --role admin`.
 * Any key can ask what it is (GET /api/keys/me: the web UI's sign-in checks
 * a seller's or an admin's key with it).
 */
const KeyIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const keysPlugin: ServePlugin = {
  name: 'keys',
  register(app, ctx) {
    const admin = requireRole(ctx, 'admin');

    app.post<{ Body: KeyCreateInput }>(
      '/api/keys',
      { onRequest: admin, schema: { tags: ['keys'], summary: 'Create an API key (shown once)', ...security('admin'), body: KeyCreateSchema, response: { 201: CreatedKeySchema, ...errorResponses(400, 401, 403) } } },
      async (req, reply) => reply.status(201).send(createApiKey(ctx.store, req.body.role, req.body.label ?? '')),
    );

    app.get(
      '/api/keys/me',
      {
        onRequest: requireRole(ctx, 'writer'),
        schema: { tags: ['keys'], summary: 'The calling key: its id and role', ...security('writer'), response: { 200: Type.Object({ keyId: Type.String(), role: Type.String() }), ...errorResponses(401) } },
      },
      async (req) => {
        const p = principalOf(ctx, req)!;
        return { keyId: p.keyId, role: p.role };
      },
    );

    app.get('/api/keys', { onRequest: admin, schema: { tags: ['keys'], summary: 'API keys (ids and roles, never secrets)', ...security('admin'), response: { 200: Type.Object({ keys: Type.Array(KeySchema) }) } } }, async () => ({
      keys: ctx.store.listApiKeys(),
    }));

    app.delete<{ Params: Static<typeof KeyIdParams> }>(
      '/api/keys/:id',
      { onRequest: admin, schema: { tags: ['keys'], summary: 'Revoke an API key', ...security('admin'), params: KeyIdParams, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => {
        if (!ctx.store.revokeApiKey(req.params.id, new Date(ctx.clock()).toISOString())) fail('UNKNOWN_ID', `no API key "${req.params.id}"`);
        ctx.keys.forget(req.params.id);
        return { id: req.params.id, revoked: true };
      },
    );
  },
};
