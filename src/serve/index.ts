/** The storefront service: buildApp(deps) (app.ts), startServer (server.ts), one plugin per feature (plugins/). */
export { buildApp } from './app.js';
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export type { ServeDeps, ServeContext } from './context.js';
export type { ServePlugin } from './plugin.js';
export type { PhotoSearch, PhotoSearchQuery, PhotoMatch } from './photo-search.js';
export { serveConfig, SERVE_DEFAULTS, type ServeConfig, type ServeConfigInput } from './config.js';
export { createApiKey, KeyVerifier, ROLE_RANK, type CreatedKey } from './auth/api-keys.js';
export { requireRole, principalOf, sessionShopperOf, ensureSessionShopper } from './auth/guards.js';
export { BUILTIN_PLUGINS } from './plugins/index.js';
export { encodeSlate, decodeSlate, catalogTag, slateSize, SLATE_FORMAT_VERSION, MAX_SLATE_ITEMS } from './compact/codec.js';
export { timeOnAir, airtimeTable, dataRate, LORAWAN_FRAMING_BYTES, REGIONS, type Region, type DataRate, type Airtime } from './compact/airtime.js';
export { assignVariant, assignmentPoint } from './experiments/assign.js';
