import type { Manifest, ManifestInput, Tensor } from '../core/artifact.js';

/**
 * How a composite model (hybrid.ts, visual-hybrid.ts) keeps its parts in one
 * artifact: each part's tensors under "<part>.<name>", each part's manifest
 * fields in the composite's extra.parts. A part is restored from a manifest
 * rebuilt from those fields (partManifest) and its unprefixed tensors, by
 * the part's own restore: the same code that loads it on its own.
 */

export function prefixed(prefix: string, tensors: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [`${prefix}.${k}`, t]));
}

export function unprefixed(prefix: string, tensors: Map<string, Tensor>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [k, t] of tensors) if (k.startsWith(`${prefix}.`)) out.set(k.slice(prefix.length + 1), t);
  return out;
}

/** A part's manifest: the composite's envelope with the part's kind, version, hyperparameters and extra. */
export function partManifest(outer: Manifest, part: ManifestInput): Manifest {
  return {
    ...outer,
    kind: part.kind,
    version: part.version,
    hyperparameters: part.hyperparameters,
    dataFingerprint: part.dataFingerprint ?? null,
    extra: part.extra ?? {},
    tensors: [],
  };
}
