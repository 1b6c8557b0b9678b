/*
 * Implicit ALS half-sweep with the conjugate-gradient solver, the native twin
 * of src/engine/cf/als-cg.ts (same arguments, same update; benfred/implicit's
 * _least_squares_cg). For each row u it takes cgSteps CG steps on
 *   A_u x_u = b_u,  A_u = a0 + sum_i (c_ui - 1) y_i y_i^T,  b_u = sum_i c_ui y_i,
 * a0 = Y^T Y + lambda I, warm-started from x_u. Rows with no entries get 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "kernels.h"
#include "pool.h"
#include "vec.h"

typedef struct {
  const int32_t *indptr, *indices;
  const float *conf;
  float *x;
  const float *y;
  const float *a0;
  int f, steps;
} als_ctx;

static void cg_rows(void *vctx, int64_t start, int64_t end, int thread) {
  als_ctx *c = (als_ctx *)vctx;
  const int f = c->f;
  float *scratch = aligned_alloc(64, sizeof(float) * 4 * ((f + 15) & ~15));
  const int stride = (f + 15) & ~15;
  float *r = scratch, *p = scratch + stride, *ap = scratch + 2 * stride, *xs = scratch + 3 * stride;
  for (int64_t u = start; u < end; u++) {
    const int32_t lo = c->indptr[u], hi = c->indptr[u + 1];
    float *xu = c->x + u * f;
    if (hi == lo) {
      memset(xu, 0, sizeof(float) * f);
      continue;
    }
    memcpy(xs, xu, sizeof(float) * f);
    vsymv(c->a0, xs, -1.f, r, f);
    for (int32_t j = lo; j < hi; j++) {
      const float *yi = c->y + (int64_t)c->indices[j] * f;
      const float cf = c->conf[j];
      vaxpy(cf - (cf - 1.f) * vdot(yi, xs, f), yi, r, f);
    }
    memcpy(p, r, sizeof(float) * f);
    double rs_old = vdot(r, r, f);
    if (rs_old < 1e-20) continue;
    for (int it = 0; it < c->steps; it++) {
      vsymv(c->a0, p, 1.f, ap, f);
      for (int32_t j = lo; j < hi; j++) {
        const float *yi = c->y + (int64_t)c->indices[j] * f;
        vaxpy((c->conf[j] - 1.f) * vdot(yi, p, f), yi, ap, f);
      }
      const float alpha = (float)(rs_old / vdot(p, ap, f));
      vaxpy(alpha, p, xs, f);
      vaxpy(-alpha, ap, r, f);
      const double rs_new = vdot(r, r, f);
      if (rs_new < 1e-20) break;
      const float beta = (float)(rs_new / rs_old);
#pragma omp simd
      for (int k = 0; k < f; k++) p[k] = r[k] + beta * p[k];
      rs_old = rs_new;
    }
    memcpy(xu, xs, sizeof(float) * f);
  }
  free(scratch);
}

/* alsCgSweep(indptr, indices, conf, x, y, a0: Float64Array, f, cgSteps, start, end, threads) */
napi_value js_als_cg_sweep(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 11)) return NULL;
  size_t n_ptr, n_x, n_y, n_a0;
  als_ctx c;
  c.indptr = arg_i32(&a, 0, &n_ptr);
  c.indices = arg_i32(&a, 1, NULL);
  c.conf = arg_f32(&a, 2, NULL);
  c.x = arg_f32(&a, 3, &n_x);
  c.y = arg_f32(&a, 4, &n_y);
  const double *a0 = arg_f64(&a, 5, &n_a0);
  c.f = (int)arg_int(&a, 6);
  c.steps = (int)arg_int(&a, 7);
  const int64_t start = arg_int(&a, 8), end = arg_int(&a, 9);
  const int threads = (int)arg_int(&a, 10);
  if (a.failed) return NULL;
  if (c.f <= 0 || n_a0 < (size_t)c.f * c.f || end > (int64_t)n_ptr - 1 || (size_t)end * c.f > n_x || start < 0) {
    napi_throw_range_error(env, NULL, "alsCgSweep: shapes do not match");
    return NULL;
  }
  float *a0f = malloc(sizeof(float) * c.f * c.f);
  for (int k = 0; k < c.f * c.f; k++) a0f[k] = (float)a0[k];
  c.a0 = a0f;
  parallel_for(threads, start, end, 16, cg_rows, &c);
  free(a0f);
  return NULL;
}

typedef struct {
  const float *x;
  int f;
  int64_t first, chunk;
  double *partial; /* chunks x f x f */
} gram_ctx;

/* Each fixed chunk of rows sums into its own partial; partials are added in
 * chunk order, so the result does not depend on the number of threads. */
static void gram_rows(void *vctx, int64_t start, int64_t end, int thread) {
  gram_ctx *c = (gram_ctx *)vctx;
  const int f = c->f;
  double *out = c->partial + ((start - c->first) / c->chunk) * f * f;
  int64_t r = start;
  /* Four rows per pass over the f x f accumulator: a quarter of its loads and stores per multiply-add. */
  for (; r + 4 <= end; r += 4) {
    const float *x0 = c->x + r * f, *x1 = x0 + f, *x2 = x1 + f, *x3 = x2 + f;
    for (int a = 0; a < f; a++) {
      const double a0 = x0[a], a1 = x1[a], a2 = x2[a], a3 = x3[a];
      double *row = out + (int64_t)a * f;
#pragma omp simd
      for (int b = 0; b < f; b++) row[b] += a0 * x0[b] + a1 * x1[b] + a2 * x2[b] + a3 * x3[b];
    }
  }
  for (; r < end; r++) {
    const float *xr = c->x + r * f;
    for (int a = 0; a < f; a++) {
      const double xa = xr[a];
      double *row = out + (int64_t)a * f;
#pragma omp simd
      for (int b = 0; b < f; b++) row[b] += xa * xr[b];
    }
  }
}

/* gram(x, f, start, end, out: Float64Array, threads): out = sum_r x_r x_r^T (full symmetric). */
napi_value js_gram(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 6)) return NULL;
  size_t n_x, n_out;
  gram_ctx c;
  c.x = arg_f32(&a, 0, &n_x);
  c.f = (int)arg_int(&a, 1);
  const int64_t start = arg_int(&a, 2), end = arg_int(&a, 3);
  double *out = arg_f64(&a, 4, &n_out);
  int threads = (int)arg_int(&a, 5);
  if (a.failed) return NULL;
  if (c.f <= 0 || n_out < (size_t)c.f * c.f || (size_t)end * c.f > n_x || start < 0) {
    napi_throw_range_error(env, NULL, "gram: shapes do not match");
    return NULL;
  }
  if (threads < 1) threads = 1;
  const int64_t ff = (int64_t)c.f * c.f;
  const int64_t n = end > start ? end - start : 0;
  c.first = start;
  c.chunk = n / 64 + 1 > 256 ? n / 64 + 1 : 256;
  const int64_t chunks = (n + c.chunk - 1) / c.chunk;
  c.partial = calloc((size_t)(chunks > 0 ? chunks : 1) * ff, sizeof(double));
  parallel_for(threads, start, end, c.chunk, gram_rows, &c);
  for (int64_t k = 0; k < ff; k++) {
    double s = 0;
    for (int64_t t = 0; t < chunks; t++) s += c.partial[t * ff + k];
    out[k] = s;
  }
  free(c.partial);
  return NULL;
}
