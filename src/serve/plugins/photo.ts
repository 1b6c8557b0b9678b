import { randomBytes } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { sessionShopperOf } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { itemView } from '../recommend/feed.js';
import { errorResponses } from '../schemas/common.js';
import { PhotoInfoSchema, PhotoQuerySchema, PhotoResultSchema } from '../schemas/recommend.js';
import { filterQuery } from './recommendations.js';

/**
 * "More like this photo": a multipart upload (field `photo`) searched by
 * the vision module's PhotoSearch (photo-search.ts), blended with the
 * shopper's history when there is a shopper. Registered only when buildApp
 * gets a photoSearch dependency. Upload limits: one file of at most
 * config.uploadLimit bytes (413 PAYLOAD_TOO_LARGE beyond); a non-image type
 * is 415 UNKNOWN_FORMAT; undecodable bytes are the dependency's 422
 * CORRUPT_IMAGE.
 */
export const photoPlugin: ServePlugin = {
  name: 'photo',
  enabled: (ctx) => ctx.photoSearch !== undefined,
  async register(app, ctx) {
    await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.uploadLimit, files: 1, fields: 20, parts: 21 } });
    app.post<{ Querystring: Static<typeof PhotoQuerySchema> }>(
      '/api/recommendations/photo',
      {
        schema: {
          tags: ['recommendations'],
          summary: `Products like an uploaded photo (multipart field "photo", at most ${ctx.config.uploadLimit} bytes), for the shopper`,
          consumes: ['multipart/form-data'],
          querystring: PhotoQuerySchema,
          response: { 200: PhotoResultSchema, ...errorResponses(400, 404, 413, 415, 422, 429) },
        },
      },
      async (req) => {
        const file = await req.file();
        if (file === undefined) fail('INVALID_ARGUMENT', 'no file in the upload', { hint: 'send multipart/form-data with the image in a field named "photo"' });
        if (file.fieldname !== 'photo') fail('INVALID_ARGUMENT', `the image must be in the field "photo", got "${file.fieldname}"`);
        if (!file.mimetype.startsWith('image/')) fail('UNKNOWN_FORMAT', `the upload is ${file.mimetype}, not an image`, { hint: 'PNG, JPEG or WebP' });
        const bytes = await file.toBuffer();
        if (bytes.length === 0) fail('CORRUPT_IMAGE', 'the uploaded image is empty');
        const shopperId = req.query.shopperId ?? sessionShopperOf(ctx, req);
        const k = Math.min(req.query.k ?? ctx.config.defaultK, ctx.config.maxK);
        const matches = await ctx.photoSearch!.search(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file.mimetype, {
          ...filterQuery(req.query),
          k,
          ...(shopperId === undefined ? {} : { shopperId }),
        });
        const items = matches.slice(0, k).map((m, position) => ({
          ...itemView(m.itemId, ctx.items.get(m.itemId)),
          position,
          score: m.score,
          explored: false,
          ...(m.visual === undefined ? {} : { visual: m.visual }),
          ...(m.preference === undefined ? {} : { preference: m.preference }),
        }));
        if (shopperId !== undefined) {
          ctx.impressions.add({ slateId: randomBytes(8).toString('hex'), shopperId, itemIds: items.map((it) => it.itemId), explored: [], variant: 'photo', experimentId: null, ts: ctx.clock() });
        }
        return { shopperId: shopperId ?? null, items };
      },
    );

    app.get(
      '/api/recommendations/photo/info',
      { schema: { tags: ['recommendations'], summary: 'Whether photo search is ready, and how it blends the photo with the shopper', response: { 200: PhotoInfoSchema } } },
      async () => ctx.photoSearch!.info?.() ?? { ready: true, message: 'photo search', weight: null, size: 0 },
    );
  },
};
