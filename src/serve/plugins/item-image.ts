import type { Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { discardUpload, storeProductImage } from '../product-images.js';
import { ItemImageResultSchema } from '../schemas/catalog.js';
import { errorResponses, IdParamsSchema, security } from '../schemas/common.js';

/**
 * A seller sets a product's photo: PUT /api/items/:id/image with the image
 * itself as the body (Content-Type image/jpeg, image/png or image/webp; at
 * most config.uploadLimit bytes). The photo is validated before anything is
 * written (a corrupt or truncated file is 422 CORRUPT_IMAGE, another type
 * 415, too many bytes or pixels 413), stored under the images folder
 * (product-images.ts), the catalog row points at it, and the photo search
 * index, when there is one, embeds it at once: the product is found by
 * photo and its look-alikes show on its page without an index rebuild.
 * Registered when the server has an images folder (ServeDeps.imagesDir).
 */
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export const itemImagePlugin: ServePlugin = {
  name: 'item-image',
  enabled: (ctx) => ctx.imagesDir !== undefined,
  register(app, ctx) {
    const imagesDir = ctx.imagesDir!;
    app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: ctx.config.uploadLimit }, (_req, body, done) => done(null, body));

    app.put<{ Params: Static<typeof IdParamsSchema>; Body: Buffer }>(
      '/api/items/:id/image',
      {
        onRequest: requireRole(ctx, 'seller'),
        bodyLimit: ctx.config.uploadLimit,
        schema: {
          tags: ['items'],
          summary: `Set a product's photo (the image as the body: ${IMAGE_TYPES.join(', ')}; at most ${ctx.config.uploadLimit} bytes)`,
          ...security('seller'),
          consumes: IMAGE_TYPES,
          params: IdParamsSchema,
          response: { 200: ItemImageResultSchema, ...errorResponses(401, 403, 404, 413, 415, 422) },
        },
      },
      async (req) => {
        const item = ctx.items.get(req.params.id);
        if (item === undefined) fail('UNKNOWN_ID', `unknown product "${req.params.id}"`, { hint: 'add it first with POST /api/items' });
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!IMAGE_TYPES.includes(type)) fail('UNKNOWN_FORMAT', `the body is ${type === '' ? 'untyped' : type}, not an image`, { hint: `send the image bytes with Content-Type ${IMAGE_TYPES.join(', ')}` });
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0) fail('CORRUPT_IMAGE', 'the request has no image in its body', { hint: 'send the image bytes with Content-Type image/jpeg, image/png or image/webp' });
        const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
        const stored = await storeProductImage(imagesDir, item.id, bytes, ctx.config.uploadLimit);
        // The item may have changed while the image was checked: update the current row.
        const current = ctx.items.get(item.id) ?? item;
        // Only the image changes: the models' per-item columns (category, price, attributes) stay valid, no refresh.
        ctx.items.upsert([{ ...current, image: stored.image }], 'api');
        discardUpload(imagesDir, current.image, stored.image);
        let indexed = false;
        try {
          indexed = (await ctx.photoSearch?.addProduct?.(item.id, bytes)) ?? false;
        } catch (e) {
          // The photo is stored and shown; the index catches up at its next build.
          ctx.log.error({ err: e, itemId: item.id }, 'could not add the product photo to the image index');
        }
        return {
          itemId: item.id,
          image: `/api/items/${encodeURIComponent(item.id)}/image`,
          format: stored.format,
          width: stored.width,
          height: stored.height,
          bytes: stored.bytes,
          indexed,
        };
      },
    );
  },
};
