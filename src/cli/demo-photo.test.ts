import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sameArtifact, tensor, writeArtifact } from '../core/artifact.js';
import { staleIndexEncoder } from './demo-photo.js';

/**
 * When the shop rebuilds its photo index with the saved encoder: the index
 * was made by the classic encoder, or by another version of the saved one
 * (the committed encoder replaced by an upgrade); a copy of the same
 * encoder (what saving an index writes beside it) is up to date.
 */
const root = mkdtempSync(join(tmpdir(), 'vitrine-demo-photo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function encoder(dir: string, weight: number, hyper: Record<string, unknown> = { inputSize: 64 }): string {
  writeArtifact(dir, { kind: 'cnn', version: 1, hyperparameters: hyper }, { w: tensor(Float32Array.of(weight, 2, 3)) });
  return dir;
}

describe('staleIndexEncoder', () => {
  const saved = encoder(join(root, 'saved'), 1);

  it('is up to date for a copy of the saved encoder, even one written again later', () => {
    const again = encoder(join(root, 'again'), 1);
    expect(sameArtifact(saved, again)).toBe(true);
    const copy = join(root, 'copy');
    cpSync(saved, copy, { recursive: true });
    expect(staleIndexEncoder('cnn', copy, saved)).toBeNull();
  });

  it('rebuilds over the classic encoder, and over another version of the saved one', () => {
    expect(staleIndexEncoder('classic', join(root, 'nothing'), saved)).toBe('classic');
    expect(staleIndexEncoder('cnn', encoder(join(root, 'other-weights'), 5), saved)).toBe('changed');
    expect(staleIndexEncoder('cnn', encoder(join(root, 'other-settings'), 1, { inputSize: 32 }), saved)).toBe('changed');
    expect(staleIndexEncoder('cnn', join(root, 'missing'), saved)).toBe('changed');
  });

  it('keeps any index when there is no saved encoder', () => {
    expect(staleIndexEncoder('classic', join(root, 'nothing'), undefined)).toBeNull();
    expect(staleIndexEncoder('cnn', saved, undefined)).toBeNull();
  });
});
