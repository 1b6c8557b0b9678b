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
  /** The parts of a blended score, when the implementation reports them: cosine similarity of the photo and the product image... */
  visual?: number;
  /** ...and the product's preference percentile for the shopper in [0, 1] (null without a shopper or for a product the model does not know). */
  preference?: number | null;
}

/** What the search can tell a UI before an upload: whether it is ready, and how it blends. */
export interface PhotoSearchInfo {
  /** False while the image index is still being built (searches then fail with a message saying so). */
  ready: boolean;
  /** Why it is not ready, or what it searches (e.g. "2,000 products, classic encoder"). */
  message: string;
  /** Weight w of visual similarity in score = w * visual + (1 - w) * preference; null when it does not blend. */
  weight: number | null;
  /** Products in the index. */
  size: number;
}

/** A catalog product whose image is near another's. */
export interface VisualNeighbour {
  itemId: string;
  /** Cosine similarity of the two images' embeddings. */
  similarity: number;
}

export interface PhotoSearch {
  search(image: Uint8Array, mimeType: string, query: PhotoSearchQuery): Promise<PhotoMatch[]>;
  /** Optional readiness and blend description (GET /api/recommendations/photo/info). */
  info?(): PhotoSearchInfo;
  /**
   * Optional: the `k` products whose images are nearest product `itemId`'s
   * image, best first, itself left out (the "similar products" of a product
   * page blend them in); undefined when the product has no indexed image or
   * there is no index yet.
   */
  neighbours?(itemId: string, k: number): VisualNeighbour[] | undefined;
  /**
   * Optional: embeds a product's new photo (already validated and stored)
   * into the index, replacing its old vector, so photo search and "similar
   * products" see it at once; false when there is no index yet (the build
   * that makes one embeds every stored image, this one included).
   */
  addProduct?(itemId: string, image: Uint8Array): Promise<boolean>;
}
