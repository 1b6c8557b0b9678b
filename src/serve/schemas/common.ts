import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { ERROR_CODES } from '../../core/errors.js';

/**
 * Schemas shared by the routes (TypeBox: JSON Schema for fastify's
 * validation and the OpenAPI document, static types for handlers and the
 * typed client, conventions.md #10).
 */

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
      message: Type.String(),
      hint: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody', description: 'Every error: a stable code (src/core/errors.ts), a message, sometimes a hint.' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

/**
 * A request field that is `schema` or null, as one schema (`nullable`). A
 * union of the two would not do: the validator coerces types, so it would
 * turn a null into 0 or "" by the first branch (a price of null stored as 0).
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** Standard error responses for a route's schema. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorBody')]));
}

export const PageQuerySchema = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
});

export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

export const AttributesSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));

/** Which role a route needs, for the OpenAPI document. */
export function security(role: 'writer' | 'seller' | 'admin' | 'writer-or-session'): { security: Record<string, string[]>[]; description: string } {
  const description = role === 'writer-or-session' ? 'Needs an API key of role writer (or above), or a shopper session cookie for own events.' : `Needs an API key of role ${role} (or above).`;
  return { security: role === 'writer-or-session' ? [{ apiKey: [] }, { session: [] }] : [{ apiKey: [] }], description };
}
