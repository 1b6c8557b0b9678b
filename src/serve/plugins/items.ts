import { createReadStream, existsSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import type { Item } from '../../data/schema.js';
import { requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, IdParamsSchema, PageQuerySchema, security } from '../schemas/common.js';
import { ItemInputSchema, ItemPageSchema, type ItemDto } from '../schemas/catalog.js';

/**
 * Products: list and read (public), images, and writes for sellers. Writes
 * are one store transaction (the import path), then the in-memory catalog
 * and the models' precomputed columns are refreshed. Writing a product that
 * exists updates it: the fields sent replace the stored ones, the optional
 * ones left out (attributes, caption, price, createdAt) keep their values.
 */
const ListQuery = Type.Composite([PageQuerySchema, Type.Object({ category: Type.Optional(Type.String()) })]);
const ItemsBody = Type.Union([ItemInputSchema, Type.Array(ItemInputSchema, { minItems: 1, maxItems: 10_000 })]);

const MIME: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.svg': 'image/svg+xml' };

/** An item as the API shows it (the image as a URL path). */
export function itemDto(it: Item): ItemDto {
  return { ...it, image: it.image ? `/api/items/${encodeURIComponent(it.id)}/image` : null };
}

export const itemsPlugin: ServePlugin = {
  name: 'items',
  register(app, ctx) {
    app.get<{ Querystring: Static<typeof ListQuery> }>(
      '/api/items',
      { schema: { tags: ['items'], summary: 'Products, a page at a time', querystring: ListQuery, response: { 200: ItemPageSchema } } },
      async (req) => {
        const offset = req.query.offset ?? 0;
        const limit = req.query.limit ?? 50;
        const page = ctx.items.page(offset, limit, req.query.category);
        return { items: page.items.map(itemDto), total: page.total, offset, limit };
      },
    );

    app.get('/api/categories', { schema: { tags: ['items'], summary: 'Categories with product counts' } }, async () => ({ categories: ctx.items.categories() }));

    app.get<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/items/:id',
      { schema: { tags: ['items'], summary: 'One product', params: IdParamsSchema, response: { 200: Type.Ref('Item'), ...errorResponses(404) } } },
      async (req) => {
        const it = ctx.items.get(req.params.id);
        if (it === undefined) fail('UNKNOWN_ID', `unknown product "${req.params.id}"`);
        return itemDto(it);
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/items/:id/image',
      { schema: { tags: ['items'], summary: "A product's image file", params: IdParamsSchema } },
      async (req, reply) => {
        const it = ctx.items.get(req.params.id);
        if (it === undefined) fail('UNKNOWN_ID', `unknown product "${req.params.id}"`);
        if (!it.image) fail('FILE_NOT_FOUND', `product "${it.id}" has no image`);
        const path = isAbsolute(it.image) ? it.image : resolve(ctx.imagesDir ?? '.', it.image);
        if (!existsSync(path)) fail('FILE_NOT_FOUND', `the image of product "${it.id}" is missing`);
        void reply.header('content-type', MIME[extname(path).toLowerCase()] ?? 'application/octet-stream');
        void reply.header('cache-control', 'public, max-age=3600');
        return reply.send(createReadStream(path));
      },
    );

    app.post<{ Body: Static<typeof ItemsBody> }>(
      '/api/items',
      {
        onRequest: requireRole(ctx, 'seller'),
        schema: { tags: ['items'], summary: 'Add or update products (an update keeps the optional fields it leaves out)', ...security('seller'), body: ItemsBody, response: { ...errorResponses(400, 401, 403, 413) } },
      },
      async (req, reply) => {
        const inputs = Array.isArray(req.body) ? req.body : [req.body];
        // An update keeps what it leaves out (attributes, caption, price, createdAt) and the photo, which has its own route.
        const items: Item[] = inputs.map((i) => {
          const prev = ctx.items.get(i.id);
          return {
            id: i.id,
            title: i.title,
            category: i.category,
            attributes: i.attributes ?? prev?.attributes ?? {},
            caption: i.caption ?? prev?.caption ?? '',
            price: i.price !== undefined ? i.price : (prev?.price ?? null),
            image: prev?.image ?? null,
            createdAt: i.createdAt !== undefined ? i.createdAt : (prev?.createdAt ?? null),
          };
        });
        const result = ctx.items.upsert(items, 'api');
        ctx.models.refreshItems();
        return reply.status(result.added > 0 ? 201 : 200).send(result);
      },
    );
  },
};
