import type { tf } from '../tf.js';
import type { KernelArgs } from '../wasm.js';

/**
 * Identity without a copy. The engine clones (runs Identity on) every tensor
 * it saves for backprop; the wasm kernel copies the data each time, which in
 * a DCGAN step cost ~14 ms. tfjs tensors never change their data in place
 * (a variable's assign swaps its dataId), so sharing the data with one more
 * reference is safe; it is what tfjs's cpu backend does.
 */
export function identityShared(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  (args.backend as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
