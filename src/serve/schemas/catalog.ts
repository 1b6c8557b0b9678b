import { Type, type Static } from '@sinclair/typebox';
import { AttributesSchema, Nullable } from './common.js';

/** Products, shoppers and events on the wire. */

export const ItemSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    category: Type.String(),
    attributes: AttributesSchema,
    caption: Type.String(),
    price: Type.Union([Type.Number(), Type.Null()]),
    image: Type.Union([Type.String(), Type.Null()], { description: 'URL path of the image, or null' }),
    createdAt: Type.Union([Type.Number(), Type.Null()]),
  },
  { $id: 'Item' },
);
export type ItemDto = Static<typeof ItemSchema>;

export const ItemInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 256 }),
    title: Type.String({ minLength: 1, maxLength: 1000 }),
    category: Type.String({ minLength: 1, maxLength: 200 }),
    attributes: Type.Optional(AttributesSchema),
    caption: Type.Optional(Type.String({ maxLength: 10_000 })),
    price: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    createdAt: Type.Optional(Nullable(Type.Number())),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInputSchema>;

export const ItemImageResultSchema = Type.Object({
  itemId: Type.String(),
  image: Type.String({ description: 'URL path of the stored image' }),
  format: Type.Union([Type.Literal('jpeg'), Type.Literal('png'), Type.Literal('webp')]),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  indexed: Type.Boolean({ description: 'the photo search index embedded it (false: there is no index yet; its build will)' }),
});
export type ItemImageResultDto = Static<typeof ItemImageResultSchema>;

export const ItemPageSchema = Type.Object({ items: Type.Array(Type.Ref('Item')), total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer() });
export type ItemPage = { items: ItemDto[]; total: number; offset: number; limit: number };

export const ShopperSchema = Type.Object({ id: Type.String(), attributes: AttributesSchema, createdAt: Type.Union([Type.Number(), Type.Null()]) }, { $id: 'Shopper' });
export type ShopperDto = Static<typeof ShopperSchema>;

export const ShopperInputSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 256 }), attributes: Type.Optional(AttributesSchema), createdAt: Type.Optional(Nullable(Type.Number())) },
  { additionalProperties: false },
);
export type ShopperInput = Static<typeof ShopperInputSchema>;

export const EventInputSchema = Type.Object(
  {
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'idempotency key; a key already stored is skipped' })),
    shopperId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'defaults to the session shopper' })),
    itemId: Type.String({ minLength: 1, maxLength: 256 }),
    type: Type.String({ description: 'view, click, add-to-cart (or cart), purchase, rating' }),
    ts: Type.Optional(Type.Number({ description: 'unix ms; default now' })),
    value: Type.Optional(Type.Number({ description: 'quantity or rating; default 1' })),
    price: Type.Optional(Nullable(Type.Number())),
    sessionId: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  },
  { additionalProperties: false, $id: 'EventInput' },
);
export type EventInputDto = Static<typeof EventInputSchema>;

export const IngestResultSchema = Type.Object({ added: Type.Integer(), skipped: Type.Integer(), keys: Type.Array(Type.String()) });
export type IngestResultDto = Static<typeof IngestResultSchema>;

export const StoredEventSchema = Type.Object({
  key: Type.String(),
  shopperId: Type.String(),
  itemId: Type.String(),
  type: Type.String(),
  ts: Type.Number(),
  value: Type.Number(),
  price: Type.Union([Type.Number(), Type.Null()]),
  sessionId: Type.Union([Type.String(), Type.Null()]),
});
export type StoredEventDto = Static<typeof StoredEventSchema>;
