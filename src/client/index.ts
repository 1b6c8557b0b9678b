/** The typed client of the vitrine service (fetch-based; browsers and Node). */
export { VitrineClient, type FeedRequest, type FilterRequest, type CompactRequest, type CompactSlate, type BusinessReport } from './client.js';
export { VitrineApiError, type ClientOptions } from './http.js';
export { SseParser, readSse, type SseMessage } from './sse.js';
export { decodeSlate, type DecodedSlate } from '../serve/compact/codec.js';
export type { FeedDto, FeedItemDto, SimilarDto, PhotoResultDto, CompactSlateDto, CompactCatalogDto } from '../serve/schemas/recommend.js';
export type { ItemDto, ItemImageResultDto, ItemInput, ItemPage, ShopperDto, ShopperInput, EventInputDto, IngestResultDto, StoredEventDto } from '../serve/schemas/catalog.js';
export type { JobDto, RetrainStatusDto, ModelDto, ExperimentDto, ExperimentCreateInput, KeyDto, CreatedKeyDto } from '../serve/schemas/admin.js';
export type { ErrorBody } from '../serve/schemas/common.js';
