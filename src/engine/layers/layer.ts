import { tf } from '../tf.js';

/**
 * vitrine's layer contract (no tfjs-layers): a layer owns its parameters as
 * tf.Variables, names them, applies itself to a tensor, and disposes them.
 * Everything in `apply` is a plain tfjs op, so models are differentiable end
 * to end through tf.grad / tf.variableGrads / optimizer.minimize.
 */
export interface ApplyOptions {
  /** Training mode: batch norm uses batch statistics and updates its running ones. */
  training?: boolean;
}

export interface Layer {
  /** Parameters by name ("weight", "bias"; containers prefix children: "conv1.weight"). */
  params(): Map<string, tf.Variable>;
  /**
   * Usually called inside a loss under tf.grad/minimize, whose own tidy frees
   * intermediates. Containers do not tidy: some tfjs ops (tf.logSigmoid) read
   * their input in the backward pass through a closure, which a tidy inside
   * the loss would already have disposed. Wrap inference in tf.tidy.
   */
  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  dispose(): void;
}

/** A parameter-free layer from a function (activations, pooling, reshapes). */
export function fnLayer(f: (x: tf.Tensor, opts?: ApplyOptions) => tf.Tensor): Layer {
  return { params: () => new Map(), apply: f, dispose: () => undefined };
}

/** Children's parameters under "<child>.<name>". */
export function prefixedParams(children: Iterable<[string, Layer]>): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [prefix, layer] of children) for (const [name, v] of layer.params()) out.set(`${prefix}.${name}`, v);
  return out;
}

/** The trainable parameters of a layer (what an optimizer updates; batch norm's running statistics are not). */
export function trainableVariables(layer: Layer): tf.Variable[] {
  return [...layer.params().values()].filter((v) => v.trainable);
}

/** Layers applied in order, named for their parameters. */
export class Sequential implements Layer {
  private readonly layers: [string, Layer][];

  constructor(layers: [string, Layer][]) {
    this.layers = layers;
  }

  params(): Map<string, tf.Variable> {
    return prefixedParams(this.layers);
  }

  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor {
    return this.layers.reduce((h, [, l]) => l.apply(h, opts), x);
  }

  dispose(): void {
    for (const [, l] of this.layers) l.dispose();
  }
}
