/* Batched matrix multiply over CBLAS sgemm, with tfjs's fused bias +
 * activation epilogue (BatchMatMul, _FusedMatMul), and the BLAS thread count. */
#include <cblas.h>
#include <math.h>
#include <string.h>
#include "tensor.h"

void tensor_set_threads(int threads) {
#ifdef VITRINE_OPENBLAS
  openblas_set_num_threads(threads < 1 ? 1 : threads);
#else
  (void)threads; /* a generic CBLAS has no portable thread control */
#endif
}

int tensor_get_threads(void) {
#ifdef VITRINE_OPENBLAS
  return openblas_get_num_threads();
#else
  return 1;
#endif
}

const char *tensor_blas_name(void) {
#ifdef VITRINE_OPENBLAS
  return openblas_get_config();
#else
  return "cblas";
#endif
}

/* The activations of tfjs's fused ops, with tfjs's definitions (elu: exp(x) - 1 below 0). */
static inline float activate(float v, int act, float alpha) {
  switch (act) {
    case ACT_RELU: return v > 0.f ? v : 0.f;
    case ACT_RELU6: return v < 0.f ? 0.f : (v > 6.f ? 6.f : v);
    case ACT_LEAKYRELU: return v < 0.f ? alpha * v : v;
    case ACT_SIGMOID: return 1.f / (1.f + expf(-v));
    case ACT_ELU: return v > 0.f ? v : expf(v) - 1.f;
    default: return v;
  }
}

void epilogue_apply(float *y, int64_t rows, int64_t cols, const epilogue_t *ep) {
  if (ep == NULL || (ep->bias == NULL && ep->act == ACT_LINEAR)) return;
  const float *bias = ep->bias;
  const int per_col = bias != NULL && ep->bias_len == cols;
  const float b0 = bias != NULL && !per_col ? bias[0] : 0.f;
  for (int64_t r = 0; r < rows; r++) {
    float *row = y + r * cols;
    if (per_col) {
#pragma omp simd
      for (int64_t c = 0; c < cols; c++) row[c] += bias[c];
    } else if (bias != NULL) {
#pragma omp simd
      for (int64_t c = 0; c < cols; c++) row[c] += b0;
    }
    if (ep->act == ACT_RELU) {
#pragma omp simd
      for (int64_t c = 0; c < cols; c++) row[c] = row[c] > 0.f ? row[c] : 0.f;
    } else if (ep->act != ACT_LINEAR) {
      for (int64_t c = 0; c < cols; c++) row[c] = activate(row[c], ep->act, ep->alpha);
    }
  }
}

void tensor_matmul(const float *a, const float *b, float *c, int64_t batch_a, int64_t batch_b, int64_t m, int64_t n,
                   int64_t k, int trans_a, int trans_b, const epilogue_t *ep) {
  const int64_t batch = batch_a > batch_b ? batch_a : batch_b;
  if (m == 0 || n == 0) return; /* nothing to write (and BLAS rejects a leading dimension of 0) */
  const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
  for (int64_t i = 0; i < batch; i++) {
    const float *ai = a + (batch_a == 1 ? 0 : i) * m * k;
    const float *bi = b + (batch_b == 1 ? 0 : i) * k * n;
    float *ci = c + i * m * n;
    if (k == 0) {
      memset(ci, 0, sizeof(float) * (size_t)(m * n));
      epilogue_apply(ci, m, n, ep);
      continue;
    }
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n,
                (int)k, 1.f, ai, (int)lda, bi, (int)ldb, 0.f, ci, (int)n);
    epilogue_apply(ci, m, n, ep);
  }
}
