import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from './engine.js';
import { countLeaks, expectNoTensorLeak } from './leak.js';
import { tf } from './tf.js';

describe('tensor-leak checks', () => {
  beforeAll(async () => {
    await initEngine();
  });

  it('pass a function that cleans up and return its result', async () => {
    const r = await expectNoTensorLeak(() => tf.tidy(() => tf.sum(tf.ones([3])).dataSync()[0]));
    expect(r).toBe(3);
  });

  it('catch a function that leaves tensors alive, and count them', async () => {
    let kept: tf.Tensor[] = [];
    await expect(expectNoTensorLeak(() => { kept = [tf.ones([2]), tf.zeros([2])]; }, 'leaky')).rejects.toThrow(/leaky leaked 2 tensor/);
    const { leaked } = await countLeaks(async () => { tf.dispose(kept); });
    expect(leaked).toBe(-2);
  });
});
