import { Type, type Static } from '@sinclair/typebox';

/** Recommendation requests and responses. Lists in query strings are comma-separated. */

export const FilterQuerySchema = Type.Object({
  category: Type.Optional(Type.String({ description: 'only these categories (comma-separated)' })),
  minPrice: Type.Optional(Type.Number({ minimum: 0 })),
  maxPrice: Type.Optional(Type.Number({ minimum: 0 })),
  exclude: Type.Optional(Type.String({ description: 'product ids never to show (comma-separated)' })),
});

export const FeedQuerySchema = Type.Composite([
  FilterQuerySchema,
  Type.Object({
    shopperId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'default: the session shopper' })),
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'slate size' })),
    diversity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'MMR trade-off (0: relevance only)' })),
    maxPerCategory: Type.Optional(Type.Integer({ minimum: 1 })),
    exploration: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'bandit exploration weight' })),
    model: Type.Optional(Type.String({ description: 'a loaded model; opts out of the running experiment' })),
    log: Type.Optional(Type.Boolean({ description: 'log impressions (default true)' })),
  }),
]);
export type FeedQueryParams = Static<typeof FeedQuerySchema>;

export const FeedItemSchema = Type.Object(
  {
    itemId: Type.String(),
    position: Type.Integer(),
    score: Type.Number(),
    explored: Type.Boolean(),
    newArrival: Type.Optional(Type.Boolean({ description: "a product the model does not know yet (added after its training): explored (explored true, score 0), or ranked by the model's content part (explored false, its score on the model's scale)" })),
    match: Type.Optional(Type.Number({ description: "a new arrival placed by taste (models with a content part): the cosine of its attributes and text with the shopper's profile, in [0, 1]" })),
    title: Type.String(),
    category: Type.String(),
    price: Type.Union([Type.Number(), Type.Null()]),
    image: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'FeedItem' },
);
export type FeedItemDto = Static<typeof FeedItemSchema>;

export const FeedSchema = Type.Object(
  {
    slateId: Type.String(),
    shopperId: Type.String(),
    model: Type.String(),
    variant: Type.String(),
    experimentId: Type.Union([Type.String(), Type.Null()]),
    source: Type.Union([Type.Literal('user'), Type.Literal('history'), Type.Literal('fallback')]),
    generatedAt: Type.String(),
    items: Type.Array(Type.Ref('FeedItem')),
  },
  { $id: 'Feed' },
);
export interface FeedDto {
  slateId: string;
  shopperId: string;
  model: string;
  variant: string;
  experimentId: string | null;
  source: 'user' | 'history' | 'fallback';
  generatedAt: string;
  items: FeedItemDto[];
}

export const SimilarQuerySchema = Type.Composite([
  FilterQuerySchema,
  Type.Object({
    k: Type.Optional(Type.Integer({ minimum: 1 })),
    model: Type.Optional(Type.String()),
    visual: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'weight of image similarity in the blend with the model\'s item similarity (default 0.5; 1 for a product the model has no vector for); needs the image index' })),
  }),
]);
export type SimilarQueryParams = Static<typeof SimilarQuerySchema>;

export const ItemListSchema = Type.Object({
  itemId: Type.String(),
  model: Type.String(),
  visualWeight: Type.Number({ description: 'the weight image similarity had in the scores (0: no image index or no indexed image for this product)' }),
  basis: Type.Union([Type.Literal('model'), Type.Literal('photos'), Type.Literal('blend'), Type.Literal('attributes'), Type.Literal('attributes-photos'), Type.Literal('category')], {
    description: "what ranked the list: the model's item similarity, the photos, both; for a product newer than the model, its attributes and text in the model's content space (alone or with the photos); else (nothing knows it yet) its category's best sellers",
  }),
  items: Type.Array(Type.Ref('FeedItem')),
});
export interface SimilarDto {
  itemId: string;
  model: string;
  visualWeight: number;
  basis: 'model' | 'photos' | 'blend' | 'attributes' | 'attributes-photos' | 'category';
  items: FeedItemDto[];
}

export const PhotoQuerySchema = Type.Composite([FilterQuerySchema, Type.Object({ k: Type.Optional(Type.Integer({ minimum: 1 })), shopperId: Type.Optional(Type.String({ minLength: 1 })) })]);
export type PhotoQueryParams = Static<typeof PhotoQuerySchema>;

/** A photo match: a feed item plus, when the search blends, the two parts of its score (paper 002). */
export const PhotoItemSchema = Type.Composite([
  FeedItemSchema,
  Type.Object({
    visual: Type.Optional(Type.Number({ description: 'cosine similarity of the photo and the product image' })),
    preference: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: "the product's preference percentile for the shopper, in [0, 1]" })),
  }),
]);
export type PhotoItemDto = FeedItemDto & { visual?: number; preference?: number | null };

export const PhotoResultSchema = Type.Object({ shopperId: Type.Union([Type.String(), Type.Null()]), items: Type.Array(PhotoItemSchema) });
export interface PhotoResultDto {
  shopperId: string | null;
  items: PhotoItemDto[];
}

export const PhotoInfoSchema = Type.Object({ ready: Type.Boolean(), message: Type.String(), weight: Type.Union([Type.Number(), Type.Null()]), size: Type.Integer() });
export type PhotoInfoDto = Static<typeof PhotoInfoSchema>;

export const CompactQuerySchema = Type.Object({
  shopperId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  region: Type.Optional(Type.Union([Type.Literal('EU868'), Type.Literal('US915')], { default: 'EU868' })),
  dr: Type.Optional(Type.Integer({ minimum: 0, maximum: 7, default: 0 })),
  k: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, description: 'items asked for before fitting (default 10)' })),
  format: Type.Optional(Type.Union([Type.Literal('binary'), Type.Literal('json')], { default: 'binary' })),
  model: Type.Optional(Type.String()),
});
export type CompactQueryParams = Static<typeof CompactQuerySchema>;

export interface CompactSlateDto {
  /** The payload, base64. */
  payload: string;
  bytes: number;
  maxBytes: number;
  region: string;
  dr: number;
  sf: number;
  bandwidthHz: number;
  requested: number;
  count: number;
  truncated: boolean;
  catalogTag: number;
  model: string;
  itemIds: string[];
  /** Time on air of this payload (+13 bytes of LoRaWAN framing) at SF7..SF12, 125 kHz. */
  airtime: { sf: number; ms: number }[];
  /** Time on air at the requested data rate. */
  airtimeMs: number;
}

export interface CompactCatalogDto {
  model: string;
  tag: number;
  itemIds: string[];
}
