import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassicEncoder } from './classic-encoder.js';
import { dot, embedImage } from './encoder.js';
import { loadEncoder, resolveEncoder } from './encoder-registry.js';
import { productImage, solidImage } from './test-utils/images.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-classic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RED = [210, 30, 30] as const;
const DARK_RED = [170, 20, 25] as const;
const BLUE = [30, 40, 200] as const;

describe('ClassicEncoder', () => {
  const enc = new ClassicEncoder();

  it('has the documented size and gives unit, deterministic embeddings', async () => {
    expect(enc.dim).toBe(4 ** 3 * 5 + 8 * 16);
    const a = await embedImage(enc, await productImage(RED, 'disc'));
    const b = await embedImage(enc, await productImage(RED, 'disc'));
    expect(a).toEqual(b);
    expect(dot(a, a)).toBeCloseTo(1, 5);
  });

  it('ranks the same colour and shape above another colour or another shape', async () => {
    const query = await embedImage(enc, await productImage(DARK_RED, 'disc', 64, 'jpeg'));
    const sims = Object.fromEntries(
      await Promise.all(
        ([['redDisc', RED, 'disc'], ['redBar', RED, 'bar'], ['blueDisc', BLUE, 'disc']] as const).map(async ([name, rgb, shape]) => [
          name,
          dot(query, await embedImage(enc, await productImage(rgb, shape))),
        ]),
      ),
    ) as Record<string, number>;
    expect(sims.redDisc).toBeGreaterThan(sims.redBar!);
    expect(sims.redBar).toBeGreaterThan(sims.blueDisc!);
  });

  it('ignores how much padding an image gets (aspect ratio)', async () => {
    const square = await embedImage(enc, await solidImage(BLUE, 40, 40));
    const wide = await embedImage(enc, await solidImage(BLUE, 80, 40));
    const colourPart = (v: Float32Array): Float32Array => v.subarray(0, 4 ** 3);
    expect(dot(colourPart(square), colourPart(wide)) / (Math.hypot(...colourPart(square)) * Math.hypot(...colourPart(wide)))).toBeCloseTo(1, 5);
  });

  it('saves and loads its settings through the registry', async () => {
    const custom = new ClassicEncoder({ inputSize: 32, colourBins: 3, colourWeight: 0.5 });
    await custom.save(join(dir, 'classic'));
    const back = await loadEncoder(join(dir, 'classic'));
    expect(back.describe()).toEqual(custom.describe());
    expect((await resolveEncoder('classic')).kind).toBe('classic');
    expect(() => new ClassicEncoder({ colourBins: 1 })).toThrow(/colourBins must be an integer/);
    expect(() => new ClassicEncoder({ sharpness: 2 } as never)).toThrow(/unknown setting "sharpness"/);
  });
});
