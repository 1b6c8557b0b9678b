import { existsSync, readFileSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../context.js';
import type { ServePlugin } from '../plugin.js';

/**
 * The web UI (storefront and admin dashboard, built by Vite into web/dist)
 * served by the service itself, so one process and one port serve the
 * pages and the API they call (same origin: the session cookie just works).
 *
 * - Built files are served by @fastify/static. Vite fingerprints everything
 *   under assets/ (name-hash.js), so those are cached for a year and marked
 *   immutable; index.html is `no-cache`, so a new build is picked up at once.
 * - SPA fallback: any other GET path without a file extension (/product/p1,
 *   /admin/jobs) answers index.html and the client-side router draws the
 *   page. /api/* and /docs* never fall back: an unknown API route stays a
 *   JSON 404.
 * - GET /api/ui/features tells the UI which optional features this server
 *   has (photo search, jobs, the demo shop's routes), so it hides what is
 *   missing. Later features (image generation, the seller studio) register
 *   their own plugins and pages; the UI asks this route what exists.
 *
 * Registered only when the build exists (webDistOk below); the CLI says how
 * to build it otherwise.
 */
export interface WebOptions {
  /** The built UI folder (web/dist), with index.html. */
  root: string;
}

/** Cache-Control of a served file: fingerprinted assets forever, everything else revalidated. */
export function cacheControlFor(path: string): string {
  return path.includes(`${sep}assets${sep}`) || path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** True when `root` holds a built UI. */
export function webDistOk(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/** Paths that never fall back to index.html. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/docs' || path.startsWith('/docs/');
}

export interface UiFeatures {
  photo: boolean;
  jobs: boolean;
  demo: boolean;
  /** Names of every registered feature route group the UI may look for (e.g. "imagine" in a later issue). */
  routes: string[];
}

/** Which optional features the server has, for the UI's navigation. */
function features(app: FastifyInstance, ctx: ServeContext): UiFeatures {
  const has = (url: string): boolean => app.hasRoute({ method: 'GET', url });
  const routes = ['/api/demo', '/api/imagine', '/api/studio'].filter(has).map((u) => u.slice(5));
  return { photo: ctx.photoSearch !== undefined, jobs: ctx.jobs !== undefined, demo: has('/api/demo'), routes };
}

/** The web UI plugin for buildApp's `plugins`. */
export function webPlugin(opts: WebOptions): ServePlugin {
  return {
    name: 'web',
    enabled: () => webDistOk(opts.root),
    async register(app, ctx) {
      const indexHtml = readFileSync(join(opts.root, 'index.html'));
      await app.register(fastifyStatic, {
        root: opts.root,
        prefix: '/',
        // Files are listed once at start (a rebuilt UI needs a restart); the catch-all below is the SPA fallback.
        wildcard: false,
        decorateReply: false,
        cacheControl: false,
        setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(path)),
      });

      app.get('/api/ui/features', { schema: { tags: ['service'], summary: 'Optional features this server has (for the web UI)' } }, async () => features(app, ctx));

      app.get('/*', { schema: { hide: true } }, (req, reply) => {
        const path = req.url.split('?')[0] ?? '/';
        if (isApiPath(path) || extname(path) !== '') return reply.callNotFound();
        return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
      });
    },
  };
}
