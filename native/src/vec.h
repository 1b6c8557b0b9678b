/* Small dense helpers the kernels inline. When n is a multiple of 16 they use
 * GCC vector extensions (16 floats: one AVX-512 register, two AVX2 ones), so
 * the hot loops need no -ffast-math; otherwise plain loops with `omp simd`. */
#ifndef VITRINE_VEC_H
#define VITRINE_VEC_H
#include <string.h>

typedef float v16 __attribute__((vector_size(64)));

typedef float v8 __attribute__((vector_size(32)));
typedef float v4 __attribute__((vector_size(16)));
/* Tree reduction: halves added pairwise, so the latency is 4 adds, not 16. */
static inline float hsum16(v16 v) {
  v8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  v4 b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
  return (b[0] + b[2]) + (b[1] + b[3]);
}

static inline v16 load16(const float *p) {
  v16 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void store16(float *p, v16 v) { memcpy(p, &v, sizeof v); }

static inline float vdot(const float *restrict a, const float *restrict b, int n) {
  if ((n & 15) == 0) {
    v16 acc0 = {0}, acc1 = {0};
    int k = 0;
    for (; k + 32 <= n; k += 32) {
      acc0 += load16(a + k) * load16(b + k);
      acc1 += load16(a + k + 16) * load16(b + k + 16);
    }
    if (k < n) acc0 += load16(a + k) * load16(b + k);
    return hsum16(acc0 + acc1);
  }
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (int k = 0; k < n; k++) s += a[k] * b[k];
  return s;
}

/* y += alpha * x */
static inline void vaxpy(float alpha, const float *restrict x, float *restrict y, int n) {
  if ((n & 15) == 0) {
    for (int k = 0; k < n; k += 16) store16(y + k, load16(y + k) + alpha * load16(x + k));
    return;
  }
#pragma omp simd
  for (int k = 0; k < n; k++) y[k] += alpha * x[k];
}

/* out = sign * (m v) for a SYMMETRIC n x n m: accumulated as a sum of m's
 * rows (= columns) weighted by v, which needs no horizontal reductions. */
static inline void vsymv(const float *restrict m, const float *restrict v, float sign, float *restrict out, int n) {
  memset(out, 0, sizeof(float) * n);
  for (int a = 0; a < n; a++) vaxpy(sign * v[a], m + (long)a * n, out, n);
}
#endif
