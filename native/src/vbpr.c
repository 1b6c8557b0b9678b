/*
 * One pass of VBPR's SGD over caller-drawn triples, the native twin of
 * src/recommend/vbpr-sgd.ts (He and McAuley 2016, eq. 3 and section 4.2):
 * the same updates in the same order, in float32, on one thread (so a seed
 * gives the same model every run). The TypeScript pass stays the reference;
 * the sums here are vectorised, so results agree to float rounding.
 *
 * Per triple (u, i, j): d = f_i - f_j (F), Ed = E d (K'), x_uij from the
 * biases, β'·d, θ_u·Ed and γ_u·(γ_i - γ_j); then γ, θ_u, E (K' x F, one
 * rank-1 update z θ_u dᵀ), β' and β.
 */
#include <math.h>
#include <stdlib.h>
#include "args.h"
#include "kernels.h"

typedef struct {
  float *gu, *tu, *gi, *bi, *e, *bv;
  const float *features;
  int k, k2, f;
  float lr, reg, bias_reg, proj_reg;
} vbpr_ctx;

static float dotf(const float *restrict a, const float *restrict b, int n) {
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (int c = 0; c < n; c++) s += a[c] * b[c];
  return s;
}

static double vbpr_pass(const vbpr_ctx *p, const int32_t *user, const int32_t *pos, const int32_t *neg, int64_t n, float *restrict d, float *restrict ed) {
  const int k = p->k, k2 = p->k2, f = p->f;
  const float lr = p->lr;
  const float decay = 1.f - lr * p->reg, decay_e = 1.f - lr * p->proj_reg, decay_b = 1.f - lr * p->bias_reg;
  double loss = 0;
  for (int64_t s = 0; s < n; s++) {
    const int64_t u = user[s], i = pos[s], j = neg[s];
    const float *restrict fi = p->features + i * f;
    const float *restrict fj = p->features + j * f;
#pragma omp simd
    for (int c = 0; c < f; c++) d[c] = fi[c] - fj[c];
    for (int r = 0; r < k2; r++) ed[r] = dotf(p->e + (int64_t)r * f, d, f);
    float *restrict gu = p->gu + u * k;
    float *restrict gi = p->gi + i * k;
    float *restrict gj = p->gi + j * k;
    float *restrict tu = p->tu + u * k2;
    float x = p->bi[i] - p->bi[j] + dotf(p->bv, d, f) + dotf(tu, ed, k2);
    for (int c = 0; c < k; c++) x += gu[c] * (gi[c] - gj[c]);
    const float z = 1.f / (1.f + expf(x));
    loss += log1p(exp(-(double)x));
    const float lz = lr * z;
    for (int c = 0; c < k; c++) {
      const float a = gu[c], b = gi[c], q = gj[c];
      gu[c] = decay * a + lz * (b - q);
      gi[c] = decay * b + lz * a;
      gj[c] = decay * q - lz * a;
    }
    for (int r = 0; r < k2; r++) {
      const float t = tu[r];
      tu[r] = decay * t + lz * ed[r];
      const float g = lz * t;
      float *restrict er = p->e + (int64_t)r * f;
      if (decay_e == 1.f) {
#pragma omp simd
        for (int c = 0; c < f; c++) er[c] = er[c] + g * d[c];
      } else {
#pragma omp simd
        for (int c = 0; c < f; c++) er[c] = decay_e * er[c] + g * d[c];
      }
    }
#pragma omp simd
    for (int c = 0; c < f; c++) p->bv[c] = decay_b * p->bv[c] + lz * d[c];
    p->bi[i] = p->bi[i] + lr * (z - p->bias_reg * p->bi[i]);
    p->bi[j] = p->bi[j] + lr * (-z - p->bias_reg * p->bi[j]);
  }
  return loss;
}

/* vbprSgdPass(gu, tu, gi, bi, e, bv, features, user, pos, neg, k, k2, f, rates[lr, reg, biasReg, projectionReg]) -> loss */
napi_value js_vbpr_sgd_pass(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 14)) return NULL;
  vbpr_ctx p = {0};
  size_t n_gu, n_tu, n_gi, n_bi, n_e, n_bv, n_feat, n_user, n_pos, n_neg, n_rates;
  p.gu = arg_f32(&a, 0, &n_gu);
  p.tu = arg_f32(&a, 1, &n_tu);
  p.gi = arg_f32(&a, 2, &n_gi);
  p.bi = arg_f32(&a, 3, &n_bi);
  p.e = arg_f32(&a, 4, &n_e);
  p.bv = arg_f32(&a, 5, &n_bv);
  p.features = arg_f32(&a, 6, &n_feat);
  const int32_t *user = arg_i32(&a, 7, &n_user);
  const int32_t *pos = arg_i32(&a, 8, &n_pos);
  const int32_t *neg = arg_i32(&a, 9, &n_neg);
  p.k = (int)arg_int(&a, 10);
  p.k2 = (int)arg_int(&a, 11);
  p.f = (int)arg_int(&a, 12);
  const double *rates = arg_f64(&a, 13, &n_rates);
  if (a.failed) return NULL;
  if (p.k < 0 || p.k2 < 1 || p.f < 1 || n_rates != 4 || n_pos != n_user || n_neg != n_user || n_e != (size_t)p.k2 * p.f || n_bv != (size_t)p.f) {
    napi_throw_range_error(env, NULL, "vbprSgdPass: inconsistent dimensions");
    return NULL;
  }
  const int64_t n_users = (int64_t)(n_tu / p.k2), n_items = (int64_t)n_bi;
  if (n_gu != (size_t)(n_users * p.k) || n_gi != (size_t)(n_items * p.k) || n_feat != (size_t)(n_items * p.f)) {
    napi_throw_range_error(env, NULL, "vbprSgdPass: parameter arrays do not match the dimensions");
    return NULL;
  }
  for (size_t s = 0; s < n_user; s++) {
    if (user[s] < 0 || user[s] >= n_users || pos[s] < 0 || pos[s] >= n_items || neg[s] < 0 || neg[s] >= n_items) {
      napi_throw_range_error(env, NULL, "vbprSgdPass: a triple is out of range");
      return NULL;
    }
  }
  p.lr = (float)rates[0];
  p.reg = (float)rates[1];
  p.bias_reg = (float)rates[2];
  p.proj_reg = (float)rates[3];
  float *d = malloc(sizeof(float) * (size_t)p.f);
  float *ed = malloc(sizeof(float) * (size_t)p.k2);
  if (d == NULL || ed == NULL) {
    free(d);
    free(ed);
    napi_throw_error(env, NULL, "vbprSgdPass: out of memory");
    return NULL;
  }
  const double loss = vbpr_pass(&p, user, pos, neg, (int64_t)n_user, d, ed);
  free(d);
  free(ed);
  return make_number(env, loss);
}
