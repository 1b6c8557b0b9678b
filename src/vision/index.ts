/** Vision: images in (decode, validate, prepare), encoders behind one interface, the ANN index, catalog image indexes. */
export { decodeImage, imageLimits, DEFAULT_IMAGE_LIMITS, type DecodedImage, type DecodeOptions, type ImageInput, type ImageLimits } from './image.js';
export { sniffImageFormat, IMAGE_FORMATS, type ImageFormat, type Sniffed } from './image-format.js';
export { prepareImage, loadImage, stackImages, CATALOG_BACKGROUND, type PreparedImage, type PrepareOptions, type ImageBatch, type Rgb } from './prepare.js';
export { asBatch, l2normalize, dot, embedImage, type ImageEncoder, type EncoderInput } from './encoder.js';
export { ClassicEncoder, CLASSIC_DEFAULTS, CLASSIC_VERSION, type ClassicEncoderConfig } from './classic-encoder.js';
export { OnnxEncoder, ONNX_VERSION, type OnnxEncoderOptions } from './onnx-encoder.js';
export {
  onnxConfig,
  ONNX_DEFAULTS,
  ONNX_PRESETS,
  IMAGENET_MEAN,
  IMAGENET_STD,
  CLIP_MEAN,
  CLIP_STD,
  type OnnxEncoderConfig,
  type OnnxLayout,
  type OnnxPooling,
  type OnnxPreset,
} from './onnx-config.js';
export { ENCODER_KINDS, isEncoderKind, loadEncoder, resolveEncoder, type EncoderKind } from './encoder-registry.js';
export { VectorIndex, type IndexHit } from './ann-index.js';
export { indexConfig, INDEX_DEFAULTS, IP_INDEX_DEFAULTS, INDEX_METRICS, INDEX_MODES, type VectorIndexConfig, type IndexMetric, type IndexMode } from './ann-config.js';
export { exactTopK } from './ann-exact.js';
export { indexExists, deleteIndexFiles } from './ann-files.js';
export { buildImageIndex, itemImagePath, type BuildImageIndexOptions, type ImageIndexReport } from './build-index.js';
export { openImageIndex, saveImageIndex, imageIndexPath, DEFAULT_IMAGE_INDEX, type ImageIndex } from './image-index.js';
