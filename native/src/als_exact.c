/*
 * The exact ALS row solve, native twin of src/engine/cf/als-exact.ts: for
 * each row u, x_u = (a0 + sum_i (c_ui - 1) y_i y_i^T)^-1 sum_i c_ui y_i by a
 * Cholesky factorisation, in double precision like the reference. Used by the
 * exact solver and by fold-in (one row), where it keeps a 64-factor solve for
 * a shopper with hundreds of events well under a millisecond.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "kernels.h"
#include "pool.h"

typedef struct {
  const int32_t *indptr, *indices;
  const float *conf;
  float *x;
  const float *y;
  const double *a0;
  int f;
  int failed_row; /* first row that was not positive definite, or -1 */
} exact_ctx;

/* a (f x f, full) += t * v v^T; b += c * v */
static void rank_one(double *restrict a, double *restrict b, const float *restrict v, double t, double c, int f) {
  double vd[1024];
  for (int k = 0; k < f; k++) vd[k] = v[k];
  for (int i = 0; i < f; i++) {
    const double ti = t * vd[i];
    double *restrict row = a + (long)i * f;
#pragma omp simd
    for (int k = 0; k <= i; k++) row[k] += ti * vd[k];
    b[i] += c * vd[i];
  }
}

/* In-place lower Cholesky; 0 when not positive definite. */
static int cholesky(double *a, int f) {
  for (int j = 0; j < f; j++) {
    double *rj = a + (long)j * f;
    double d = rj[j];
    for (int k = 0; k < j; k++) d -= rj[k] * rj[k];
    if (!(d > 0)) return 0;
    const double ljj = sqrt(d), inv = 1.0 / ljj;
    rj[j] = ljj;
    for (int i = j + 1; i < f; i++) {
      double *ri = a + (long)i * f;
      double s = ri[j];
#pragma omp simd reduction(- : s)
      for (int k = 0; k < j; k++) s -= ri[k] * rj[k];
      ri[j] = s * inv;
    }
  }
  return 1;
}

static void cholesky_solve(const double *l, double *b, int f) {
  for (int i = 0; i < f; i++) {
    const double *ri = l + (long)i * f;
    double s = b[i];
    for (int k = 0; k < i; k++) s -= ri[k] * b[k];
    b[i] = s / ri[i];
  }
  for (int i = f - 1; i >= 0; i--) {
    double s = b[i];
    for (int k = i + 1; k < f; k++) s -= l[(long)k * f + i] * b[k];
    b[i] = s / l[(long)i * f + i];
  }
}

static void exact_rows(void *vctx, int64_t start, int64_t end, int thread) {
  exact_ctx *c = (exact_ctx *)vctx;
  const int f = c->f;
  double *a = malloc(sizeof(double) * f * f);
  double *b = malloc(sizeof(double) * f);
  for (int64_t u = start; u < end; u++) {
    const int32_t lo = c->indptr[u], hi = c->indptr[u + 1];
    float *xu = c->x + u * f;
    if (lo == hi) {
      memset(xu, 0, sizeof(float) * f);
      continue;
    }
    memcpy(a, c->a0, sizeof(double) * f * f);
    memset(b, 0, sizeof(double) * f);
    for (int32_t j = lo; j < hi; j++) {
      const double cf = c->conf[j];
      rank_one(a, b, c->y + (int64_t)c->indices[j] * f, cf - 1.0, cf, f);
    }
    if (!cholesky(a, f)) {
      __atomic_store_n(&c->failed_row, (int)u, __ATOMIC_RELAXED);
      continue;
    }
    cholesky_solve(a, b, f);
    for (int k = 0; k < f; k++) xu[k] = (float)b[k];
  }
  free(a);
  free(b);
}

/* alsExactSweep(indptr, indices, conf, x, y, a0: Float64Array, f, start, end, threads) -> -1, or a row that was not positive definite */
napi_value js_als_exact_sweep(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 10)) return NULL;
  size_t n_ptr, n_x, n_a0;
  exact_ctx c;
  c.indptr = arg_i32(&a, 0, &n_ptr);
  c.indices = arg_i32(&a, 1, NULL);
  c.conf = arg_f32(&a, 2, NULL);
  c.x = arg_f32(&a, 3, &n_x);
  c.y = arg_f32(&a, 4, NULL);
  c.a0 = arg_f64(&a, 5, &n_a0);
  c.f = (int)arg_int(&a, 6);
  const int64_t start = arg_int(&a, 7), end = arg_int(&a, 8);
  const int threads = (int)arg_int(&a, 9);
  c.failed_row = -1;
  if (a.failed) return NULL;
  if (c.f <= 0 || c.f > 1024 || n_a0 < (size_t)c.f * c.f || end > (int64_t)n_ptr - 1 || (size_t)end * c.f > n_x || start < 0) {
    napi_throw_range_error(env, NULL, "alsExactSweep: shapes do not match");
    return NULL;
  }
  parallel_for(threads, start, end, 4, exact_rows, &c);
  return make_number(env, c.failed_row);
}
