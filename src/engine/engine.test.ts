import { describe, expect, it } from 'vitest';
import { runDoctor } from './doctor.js';
import { engineInfo, findTensorAddon, initEngine } from './engine.js';
import type { NativeKernels } from './native.js';
import { tf } from './tf.js';

describe('engine setup', () => {
  it('refuses engineInfo before initEngine', () => {
    expect(() => engineInfo()).toThrow(/not initialised/);
  });

  it('sets up wasm with SIMD, registers gradients and the missing kernels, idempotently', async () => {
    const info = await initEngine();
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getGradient('Conv2D')).toBeDefined();
    const again = await initEngine();
    expect(again).toEqual(info);
    if (process.env.VITRINE_NATIVE === '0') {
      expect(info.native).toBe(false);
      expect(info.reason).toMatch(/VITRINE_NATIVE=0/);
    }
  });

  it('says once, through onNotice, when the native kernels are not in use', async () => {
    const notices: string[] = [];
    await initEngine({ native: false, onNotice: (m) => notices.push(m) });
    await initEngine({ native: false, onNotice: (m) => notices.push(m) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/plain wasm/);
    expect(engineInfo().native).toBe(false);
    await initEngine();
  });

  it('makes missing tensor kernels an error only under VITRINE_REQUIRE_NATIVE=1', () => {
    const noBlas = { abiVersion: 5, hasBlas: false } as unknown as NativeKernels;
    const loaded = { loaded: true, path: 'x.node' };
    expect(findTensorAddon(noBlas, loaded, {})).toEqual({ reason: expect.stringMatching(/without BLAS/) });
    expect(() => findTensorAddon(noBlas, loaded, { VITRINE_REQUIRE_NATIVE: '1' })).toThrow(/required/);
    expect(() => findTensorAddon(undefined, { loaded: false, path: 'x', reason: 'not built' }, { VITRINE_REQUIRE_NATIVE: '1' })).toThrow(/not built/);
    expect(findTensorAddon(undefined, { loaded: false, path: 'x', reason: 'disabled' }, { VITRINE_REQUIRE_NATIVE: '1', VITRINE_NATIVE: '0' })).toEqual({ reason: 'disabled' });
  });

  it('switches to the cpu backend and back', async () => {
    expect((await initEngine({ backend: 'cpu' })).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initEngine()).backend).toBe('wasm');
  });

  it('doctor reports the backend, kernels and a matmul figure', async () => {
    const r = await runDoctor({ seconds: 0.05, size: 128 });
    expect(r.engine.backend).toBe('wasm');
    expect(r.matmul.runs).toBeGreaterThan(0);
    expect(r.matmul.gflops).toBeGreaterThan(0);
    expect(r.cf.kernels).toMatch(/native|js/);
    if (r.engine.native) expect(r.wasmMatmul?.gflops).toBeGreaterThan(0);
    else expect(r.wasmMatmul).toBeUndefined();
  });
});
