/**
 * The one TensorFlow.js every part of vitrine uses: `import { tf } from
 * '../engine/tf.js'`. Nothing else imports @tensorflow/tfjs-core directly, so
 * there is one engine, one kernel registry and one set of variables.
 * Call `initEngine()` (engine.ts) once before running ops.
 */
export * as tf from '@tensorflow/tfjs-core';
