import { fail } from '../core/errors.js';

/**
 * Typed, frozen hyperparameter configs (conventions.md #3): each model
 * declares its defaults beside itself and validates once, in its constructor.
 */

/** A config value a model accepts: JSON-serialisable, so it can go into the artifact manifest. */
export type ConfigValue = number | string | boolean | null | { readonly [k: string]: ConfigValue } | readonly ConfigValue[];

/**
 * Merges `overrides` over `defaults`, refuses unknown keys (a misspelt
 * hyperparameter is an error, not a silent default), runs `check` and
 * freezes the result.
 */
export function makeConfig<T extends object>(
  model: string,
  defaults: T,
  overrides: Partial<T> | undefined,
  check: (c: T) => void,
): Readonly<T> {
  const known = new Set(Object.keys(defaults));
  for (const key of Object.keys(overrides ?? {})) {
    if (!known.has(key)) {
      fail('INVALID_ARGUMENT', `${model}: unknown hyperparameter "${key}"`, {
        hint: `known hyperparameters: ${[...known].join(', ')}`,
      });
    }
  }
  const merged = { ...defaults } as T;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  check(merged);
  return Object.freeze(merged);
}

/** Requires an integer in [min, max]. */
export function checkInt(model: string, name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail('INVALID_ARGUMENT', `${model}: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
}

/** Requires a finite number in [min, max] (bounds inclusive unless `exclusiveMin`). */
export function checkNumber(model: string, name: string, v: unknown, min: number, max = Infinity, exclusiveMin = false): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max;
  if (!ok) {
    const lo = exclusiveMin ? `(${min}` : `[${min}`;
    fail('INVALID_ARGUMENT', `${model}: ${name} must be a number in ${lo}, ${max}], got ${String(v)}`);
  }
}

/** Requires one of the listed values. */
export function checkOneOf<T extends string>(model: string, name: string, v: unknown, allowed: readonly T[]): void {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail('INVALID_ARGUMENT', `${model}: ${name} must be one of ${allowed.join(', ')}, got ${String(v)}`);
  }
}

/** Requires a boolean. */
export function checkBool(model: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') fail('INVALID_ARGUMENT', `${model}: ${name} must be true or false, got ${String(v)}`);
}

/** Requires a seed: an integer in [0, 2^32). */
export function checkSeed(model: string, v: unknown): void {
  checkInt(model, 'seed', v, 0, 0xffffffff);
}
