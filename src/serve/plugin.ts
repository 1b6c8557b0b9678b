import type { FastifyInstance } from 'fastify';
import type { ServeContext } from './context.js';

/**
 * One feature of the service = one plugin (conventions.md #10). buildApp
 * registers the built-in plugins, then any passed in ServeDeps.plugins, each
 * in its own fastify encapsulation context with the shared services. Later
 * issues add features this way (image generation, the seller studio, the
 * web UI's static pages) without touching buildApp:
 *
 *   export const imaginePlugin: ServePlugin = {
 *     name: 'imagine',
 *     register: (app, ctx) => { app.post('/api/imagine', { schema }, handler); },
 *   };
 *   buildApp({ store, modelsDir, plugins: [imaginePlugin] });
 *
 * Route handlers throw VitrineError; the root error handler (errors.ts)
 * turns every failure into { error: { code, message, hint? } }. Auth and
 * session helpers are in auth/guards.ts.
 */
export interface ServePlugin {
  /** Unique, for logs and the OpenAPI tags. */
  name: string;
  /** Registered only when this returns true (e.g. the photo route needs a photoSearch dependency). */
  enabled?(ctx: ServeContext): boolean;
  register(app: FastifyInstance, ctx: ServeContext): void | Promise<void>;
}
