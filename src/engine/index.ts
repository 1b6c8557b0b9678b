/**
 * vitrine's tensor engine: TensorFlow.js on wasm with the kernels and
 * gradients it lacks, native BLAS kernels when built, a small layer
 * library, model artifacts, tensor-leak checks and the doctor's facts.
 * (The collaborative-filtering kernels live in ./cf.)
 */
export { tf } from './tf.js';
export { engineInfo, initEngine, type EngineInfo, type EngineOptions } from './engine.js';
export { setNativeTensorKernels, setTensorThreads, tensorThreads, withNativeTensorKernels, nativeTensorKernelNames } from './native-tensor/register.js';
export { loadModelArtifact, saveModelArtifact, type LoadOptions, type ParamOwner } from './artifact-tf.js';
export { countLeaks, expectNoTensorLeak, type LeakReport } from './leak.js';
export { measureMatmul, runDoctor, type DoctorOptions, type DoctorReport, type MatmulFigure } from './doctor.js';
export { bceWithLogits, logSigmoid } from './ops.js';
export { Adam, type AdamConfig } from './optim/adam.js';
export * from './layers/index.js';
