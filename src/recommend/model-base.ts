import { writeArtifact, type Manifest, type ManifestInput, type Tensor } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import type { ModelKind, Recommender, FitOptions, TrainData } from './recommender.js';

/**
 * What every model shares: the fitted-state guard (NOT_FITTED), the user
 * range check (UNKNOWN_ID), output buffers, a default batched scorer and
 * saving through writeArtifact. A model keeps everything it learned in one
 * state object that fit() builds and assigns only when it completes, so an
 * aborted fit leaves the previous state (or none) untouched.
 */

/** The part of a fitted state every model has. */
export interface BaseState {
  nUsers: number;
  nItems: number;
  /** fingerprint(...) of the training matrix; recorded in the manifest. */
  dataFingerprint: string | null;
}

/** What a model writes into its artifact besides the manifest's common fields. */
export interface SavedState {
  /** Layout version of this kind's tensors and extra fields. */
  version: number;
  tensors: Record<string, Tensor>;
  extra?: Record<string, unknown>;
}

export abstract class BaseRecommender<C extends Record<string, unknown>, S extends BaseState> implements Recommender {
  abstract readonly kind: ModelKind;
  protected state: S | undefined;

  protected constructor(readonly config: Readonly<C>) {}

  get nUsers(): number {
    return this.state?.nUsers ?? 0;
  }

  get nItems(): number {
    return this.state?.nItems ?? 0;
  }

  /** Whether fit() (or a load) has produced a state. */
  get fitted(): boolean {
    return this.state !== undefined;
  }

  abstract fit(data: TrainData, opts?: FitOptions): Promise<void>;

  abstract scoreUser(userIdx: number, out?: Float32Array): Float32Array;

  /** Default batched scorer: one scoreUser per row. Models with a matrix-product path override it. */
  scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const n = this.requireState().nItems;
    if (out.length < userIdxs.length * n) fail('INVALID_ARGUMENT', `scoreUsers: out holds ${out.length} values, needs ${userIdxs.length * n}`);
    for (let r = 0; r < userIdxs.length; r++) this.scoreUser(userIdxs[r]!, out.subarray(r * n, (r + 1) * n));
  }

  /** Tensors and extra fields of the fitted state (see SavedState). */
  protected abstract saveState(state: S): SavedState;

  /** The manifest fields and tensors this model saves (used by save() and by composite models such as hybrid). */
  artifact(): { input: ManifestInput; tensors: Record<string, Tensor> } {
    const state = this.requireState();
    const saved = this.saveState(state);
    return {
      input: {
        kind: this.kind,
        version: saved.version,
        hyperparameters: { ...this.config },
        dataFingerprint: state.dataFingerprint,
        extra: { nUsers: state.nUsers, nItems: state.nItems, ...saved.extra },
      },
      tensors: saved.tensors,
    };
  }

  /** Writes the model as an artifact directory, atomically (core/artifact.ts). */
  async save(dir: string): Promise<void> {
    const { input, tensors } = this.artifact();
    writeArtifact(dir, input, tensors);
  }

  protected requireState(): S {
    if (this.state === undefined) fail('NOT_FITTED', `${this.kind} model is not fitted`, { hint: 'call fit() or load a saved model first' });
    return this.state;
  }

  /** The state, after checking that userIdx is one of the training users. */
  protected stateForUser(userIdx: number): S {
    const s = this.requireState();
    checkIndex(userIdx, s.nUsers, 'user');
    return s;
  }

  /** `out` (checked to hold nItems values) or a new buffer. */
  protected output(out: Float32Array | undefined, nItems: number): Float32Array {
    if (out === undefined) return new Float32Array(nItems);
    if (out.length < nItems) fail('INVALID_ARGUMENT', `${this.kind}: output buffer holds ${out.length} values, needs ${nItems}`);
    return out;
  }
}

/** UNKNOWN_ID unless idx is an integer in [0, n). */
export function checkIndex(idx: number, n: number, what: 'user' | 'item'): void {
  if (!Number.isInteger(idx) || idx < 0 || idx >= n) {
    fail('UNKNOWN_ID', `${what} index ${idx} is not one of the model's ${n} ${what}s`);
  }
}

/** Lets timers and abort signals run between epochs of a long synchronous fit. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The common part of a loaded state: nUsers/nItems from the manifest's extra
 * fields and the data fingerprint. MODEL_INCOMPATIBLE when they are missing
 * (tensor shapes are then checked against them).
 */
export function baseStateOf(manifest: Manifest): BaseState {
  const { nUsers, nItems } = manifest.extra;
  if (typeof nUsers !== 'number' || typeof nItems !== 'number' || !Number.isInteger(nUsers) || !Number.isInteger(nItems)) {
    fail('MODEL_INCOMPATIBLE', `${manifest.kind} artifact lacks nUsers/nItems`);
  }
  return { nUsers, nItems, dataFingerprint: manifest.dataFingerprint };
}

/** MODEL_INCOMPATIBLE unless the artifact is of `kind` with a layout version this code reads. */
export function checkLayout(manifest: Pick<Manifest, 'kind' | 'version'>, kind: ModelKind, version: number): void {
  if (manifest.kind !== kind) fail('MODEL_INCOMPATIBLE', `expected a ${kind} artifact, found "${manifest.kind}"`);
  if (!Number.isInteger(manifest.version) || manifest.version < 1 || manifest.version > version) {
    fail('MODEL_INCOMPATIBLE', `${kind} artifact has layout version ${manifest.version}; this vitrine reads up to ${version}`, {
      hint: 'upgrade vitrine or retrain the model',
    });
  }
}

/** A float32 tensor of the given shape, or MODEL_INCOMPATIBLE. */
export function floatTensor(tensors: Map<string, Tensor>, name: string, shape: readonly number[]): Float32Array {
  return shapedTensor(tensors, name, 'float32', shape) as Float32Array;
}

/** An int32 tensor of the given shape, or MODEL_INCOMPATIBLE. */
export function intTensor(tensors: Map<string, Tensor>, name: string, shape: readonly number[]): Int32Array {
  return shapedTensor(tensors, name, 'int32', shape) as Int32Array;
}

function shapedTensor(tensors: Map<string, Tensor>, name: string, dtype: 'float32' | 'int32', shape: readonly number[]): Tensor['data'] {
  const t = tensors.get(name);
  if (t === undefined || t.dtype !== dtype) fail('MODEL_INCOMPATIBLE', `artifact lacks ${dtype} tensor "${name}"`);
  if (t.shape.length !== shape.length || t.shape.some((d, k) => shape[k] !== -1 && d !== shape[k])) {
    fail('MODEL_INCOMPATIBLE', `tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t.data;
}
