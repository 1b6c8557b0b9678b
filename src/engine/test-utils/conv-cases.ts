import type { Rng } from '../../core/rng.js';
import { convGeometry, type ConvAttrs } from '../conv-geometry.js';

/** Random 2-D convolution setups for kernel tests: shapes, strides, paddings (same, valid, explicit), dilations. */
export interface ConvCase {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  outShape: [number, number, number, number];
  attrs: ConvAttrs & { dataFormat: 'NHWC'; dilations: [number, number] };
  label: string;
}

const between = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);

/** A valid random case; `dilated` allows dilations up to 2 (forward convolution only, as tfjs's gradients). */
export function randomConvCase(rng: Rng, opts: { dilated?: boolean; depthwise?: boolean } = {}): ConvCase {
  for (;;) {
    const n = between(rng, 1, 3);
    const h = between(rng, 3, 9);
    const w = between(rng, 3, 9);
    const cin = between(rng, 1, 5);
    const kh = between(rng, 1, 4);
    const kw = between(rng, 1, 4);
    const cout = opts.depthwise === true ? cin * between(rng, 1, 2) : between(rng, 1, 4);
    const strides: [number, number] = [between(rng, 1, 3), between(rng, 1, 3)];
    const dilations: [number, number] = opts.dilated === true && rng.bool(0.4) ? [between(rng, 1, 2), between(rng, 1, 2)] : [1, 1];
    const kind = rng.int(3);
    let pad: ConvAttrs['pad'];
    if (kind === 0) pad = 'same';
    else if (kind === 1) pad = 'valid';
    else {
      const [pt, pl] = [rng.int(3), rng.int(3)];
      // Bottom/right padding chosen so the output size is an integer, as tfjs needs for explicit padding.
      const fit = (size: number, k: number, s: number, d: number, p: number, q: number): number => q + ((s - ((size + p + q - (d * (k - 1) + 1)) % s)) % s);
      const pb = fit(h, kh, strides[0], dilations[0], pt, rng.int(3));
      const pr = fit(w, kw, strides[1], dilations[1], pl, rng.int(3));
      pad = [[0, 0], [pt, pb], [pl, pr], [0, 0]];
    }
    if ((pad === 'same' || strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) continue; // tfjs: strides or dilations 1
    const filterShape: [number, number, number, number] = opts.depthwise === true ? [kh, kw, cin, cout / cin] : [kh, kw, cin, cout];
    const attrs = { strides, pad, dataFormat: 'NHWC' as const, dilations };
    let g;
    try {
      g = convGeometry([n, h, w, cin], opts.depthwise === true ? [kh, kw, cin, cout] : filterShape, attrs);
    } catch {
      continue;
    }
    if (g === undefined || g.oh < 1 || g.ow < 1) continue;
    const label = `x[${n},${h},${w},${cin}] f[${filterShape.join(',')}] s${strides.join('x')} d${dilations.join('x')} pad ${JSON.stringify(pad)}`;
    return { xShape: [n, h, w, cin], filterShape, outShape: [n, g.oh, g.ow, cout], attrs, label };
  }
}
