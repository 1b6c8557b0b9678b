import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { ServePlugin } from '../plugin.js';

/**
 * The OpenAPI document (at /docs/json) and its UI (at /docs), generated
 * from the routes' TypeBox schemas. buildApp registers it on the root
 * instance before any other plugin, so every route is in the document.
 */
export const docsPlugin: ServePlugin = {
  name: 'docs',
  async register(app) {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'vitrine',
          description:
            'The storefront service of vitrine: products, shoppers, events, recommendations (personalised feed, similar products, "more like this photo", compact LoRa slates), background jobs, metrics and experiments. Errors are `{ "error": { "code", "message", "hint"? } }` with a stable code.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header', description: 'vk_... keys made by `vitrine keys create --role writer|seller|admin`' },
            session: { type: 'apiKey', name: 'vitrine_session', in: 'cookie', description: 'the shopper session (POST /api/session)' },
          },
        },
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
};
