/**
 * "More like this photo" (paper 002; issue 2): the service's view of the
 * vision module. The vision module (src/vision and recommend/photo.ts)
 * implements it: decode and validate the upload, embed it, search the ANN
 * index, blend visual similarity with the shopper's preferences. The service
 * only enforces upload limits, passes the bytes and the shopper, and shapes
 * the answer; it never imports the vision code (buildApp gets an instance).
 *
 * Implementations throw VitrineError CORRUPT_IMAGE for bytes that are not a
 * decodable image and UNKNOWN_FORMAT for an image type they do not read.
 */
export interface PhotoSearchQuery {
  k: number;
  /** The shopper whose history the visual matches are blended with (none: visual similarity alone). */
  shopperId?: string;
  categories?: readonly string[];
  minPrice?: number;
  maxPrice?: number;
  /** Product ids never to return. */
  exclude?: readonly string[];
}

export interface PhotoMatch {
  itemId: string;
  /** Higher is better. */
  score: number;
}

export interface PhotoSearch {
  search(image: Uint8Array, mimeType: string, query: PhotoSearchQuery): Promise<PhotoMatch[]>;
}
