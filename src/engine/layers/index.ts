/** vitrine's small layer library over tfjs-core (no tfjs-layers): named variables, seeded init, differentiable. */
export { BatchNorm, type BatchNormConfig } from './batch-norm.js';
export { Conv2d, type Conv2dConfig } from './conv2d.js';
export { ConvTranspose2d, type ConvTranspose2dConfig } from './conv-transpose2d.js';
export { Dense, type DenseConfig } from './dense.js';
export { GroupNorm, type GroupNormConfig } from './group-norm.js';
export { initValues, initVariable, type InitScheme, type InitSpec } from './init.js';
export { fnLayer, prefixedParams, Sequential, trainableVariables, type ApplyOptions, type Layer } from './layer.js';
export { residualBlock, type ResidualConfig } from './residual.js';
