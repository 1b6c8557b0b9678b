import { fail } from '../../core/errors.js';
import type { BanditStrategy } from '../../recommend/bandit.js';
import type { ExperimentVariant } from '../../store/serving-types.js';

/**
 * A variant of an experiment is a recommender configuration (issue 4:
 * "variants are recommender configurations"): which model ranks, how much
 * the bandit explores, how diverse the slate is, how much the session
 * re-ranking weighs. Fields left out take the service's defaults.
 */
export interface VariantConfig {
  model?: string;
  exploration?: number;
  strategy?: BanditStrategy;
  diversity?: number;
  sessionWeight?: number;
}

const KEYS = ['model', 'exploration', 'strategy', 'diversity', 'sessionWeight'] as const;

function unit(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail('INVALID_ARGUMENT', `variant ${name} must be a number in [0, 1], got ${JSON.stringify(v)}`);
  return v;
}

/** Validates a variant's config; INVALID_ARGUMENT names the bad field. */
export function parseVariantConfig(raw: Record<string, unknown>, hasModel: (name: string) => boolean): VariantConfig {
  for (const k of Object.keys(raw)) if (!(KEYS as readonly string[]).includes(k)) fail('INVALID_ARGUMENT', `unknown variant setting "${k}"`, { hint: `settings: ${KEYS.join(', ')}` });
  const out: VariantConfig = {};
  if (raw.model !== undefined) {
    if (typeof raw.model !== 'string' || !hasModel(raw.model)) fail('MODEL_NOT_FOUND', `variant model ${JSON.stringify(raw.model)} is not loaded`);
    out.model = raw.model;
  }
  const exploration = unit('exploration', raw.exploration);
  if (exploration !== undefined) out.exploration = exploration;
  const diversity = unit('diversity', raw.diversity);
  if (diversity !== undefined) out.diversity = diversity;
  if (raw.strategy !== undefined) {
    if (raw.strategy !== 'thompson' && raw.strategy !== 'epsilon-greedy') fail('INVALID_ARGUMENT', `variant strategy must be thompson or epsilon-greedy, got ${JSON.stringify(raw.strategy)}`);
    out.strategy = raw.strategy;
  }
  if (raw.sessionWeight !== undefined) {
    if (typeof raw.sessionWeight !== 'number' || !(raw.sessionWeight >= 0) || !Number.isFinite(raw.sessionWeight)) fail('INVALID_ARGUMENT', 'variant sessionWeight must be a finite number >= 0');
    out.sessionWeight = raw.sessionWeight;
  }
  return out;
}

/** Validates an experiment's variants: 2 or more, unique names, weights > 0. */
export function parseVariants(raw: readonly { name: string; weight?: number; config?: Record<string, unknown> }[], hasModel: (name: string) => boolean): ExperimentVariant[] {
  if (raw.length < 2) fail('INVALID_ARGUMENT', 'an experiment needs at least 2 variants');
  const names = new Set<string>();
  return raw.map((v) => {
    if (names.has(v.name)) fail('INVALID_ARGUMENT', `variant name "${v.name}" appears twice`);
    names.add(v.name);
    const weight = v.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight)) fail('INVALID_ARGUMENT', `variant "${v.name}": weight must be > 0`);
    return { name: v.name, weight, config: { ...parseVariantConfig(v.config ?? {}, hasModel) } };
  });
}
