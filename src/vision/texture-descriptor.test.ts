import { describe, expect, it } from 'vitest';
import { TEXTURE_DIM, textureDescriptor } from './texture-descriptor.js';
import { patternImage } from './test-utils/patterns.js';

const WHITE = [255, 255, 255] as const;
const SIZE = 64;
// At 64 px the offsets are 1,1,2,2,3,3,4,5,6,8 (the 128-px ones halved): index 6 is 4 px, index 9 is 8 px.
const SHIFTS = 10;
const at = (d: Float32Array, channel: number, direction: number, shift: number): number => d[channel * (1 + 4 * SHIFTS) + 1 + direction * SHIFTS + shift]!;
const H = 0, V = 1;

describe('textureDescriptor', () => {
  it('has one standard deviation and 40 normalised semivariances per channel', () => {
    expect(TEXTURE_DIM).toBe(3 * 41);
    expect(textureDescriptor(patternImage('hstripes', SIZE, { width: 4, margin: 8 }), SIZE, WHITE)).toHaveLength(TEXTURE_DIM);
  });

  it('sees horizontal stripes vary down the image and not along it, peaking at half the period and vanishing at the period', () => {
    const d = textureDescriptor(patternImage('hstripes', SIZE, { width: 4, margin: 8 }), SIZE, WHITE);
    expect(d[0]).toBeCloseTo(0.041, 3); // luminance 0.309 and 0.227 in equal shares: half their difference
    for (let s = 0; s < SHIFTS; s++) expect(at(d, 0, H, s)).toBeCloseTo(0, 6);
    expect(at(d, 0, V, 6)).toBeGreaterThan(1.5); // 4 px: always the other colour
    expect(at(d, 0, V, 9)).toBeLessThan(0.05); // 8 px: the same colour again
  });

  it('tells vertical stripes and checks from horizontal stripes', () => {
    const v = textureDescriptor(patternImage('vstripes', SIZE, { width: 4, margin: 8 }), SIZE, WHITE);
    for (let s = 0; s < SHIFTS; s++) expect(at(v, 0, V, s)).toBeCloseTo(0, 6);
    expect(at(v, 0, H, 6)).toBeGreaterThan(1.5);
    const c = textureDescriptor(patternImage('checks', SIZE, { width: 4, margin: 8 }), SIZE, WHITE);
    expect(at(c, 0, H, 6)).toBeGreaterThan(1.5);
    expect(at(c, 0, V, 6)).toBeGreaterThan(1.5);
    // along a diagonal, 4 px right and 4 px down lands on the same colour in checks
    expect(at(c, 0, 2, 6)).toBeLessThan(0.05);
  });

  it('leaves the padding and the outline out: a plain product on a white background has no texture', () => {
    const d = textureDescriptor(patternImage('solid', SIZE, { width: 4, margin: 12 }), SIZE, WHITE);
    expect(Math.max(...d)).toBeLessThan(1e-6);
  });
});
