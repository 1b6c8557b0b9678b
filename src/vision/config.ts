import { fail } from '../core/errors.js';

/**
 * Typed, frozen configs for the vision parts (conventions.md #3), validated
 * once. The same contract as recommend/config.ts, which vision cannot
 * import (it sits below recommend in the layer list).
 */

/** Merges `overrides` over `defaults`, refusing unknown keys, then checks and freezes. */
export function makeConfig<T extends object>(what: string, defaults: T, overrides: Partial<T> | undefined, check: (c: T) => void): Readonly<T> {
  const known = new Set(Object.keys(defaults));
  for (const key of Object.keys(overrides ?? {})) {
    if (!known.has(key)) fail('INVALID_ARGUMENT', `${what}: unknown setting "${key}"`, { hint: `known settings: ${[...known].join(', ')}` });
  }
  const merged = { ...defaults } as T;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  check(merged);
  return Object.freeze(merged);
}

/** Requires an integer in [min, max]. */
export function checkInt(what: string, name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail('INVALID_ARGUMENT', `${what}: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
}

/** Requires a finite number in [min, max]. */
export function checkNumber(what: string, name: string, v: unknown, min: number, max = Infinity): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail('INVALID_ARGUMENT', `${what}: ${name} must be a number in [${min}, ${max}], got ${String(v)}`);
  }
}

/** Requires one of the listed values. */
export function checkOneOf<T extends string>(what: string, name: string, v: unknown, allowed: readonly T[]): void {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail('INVALID_ARGUMENT', `${what}: ${name} must be one of ${allowed.join(', ')}, got ${String(v)}`);
  }
}

/** Requires a triple of finite numbers, each within [min, max] (a colour, a mean, a std). */
export function checkTriple(what: string, name: string, v: unknown, min: number, max: number): void {
  const ok = Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max);
  if (!ok) fail('INVALID_ARGUMENT', `${what}: ${name} must be three numbers in [${min}, ${max}], got ${JSON.stringify(v)}`);
}
