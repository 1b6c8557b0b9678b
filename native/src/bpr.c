/*
 * One BPR epoch by SGD over caller-drawn samples, the native twin of
 * src/engine/cf/bpr-sgd.ts (same arguments and update; benfred/implicit's
 * bpr_update). With threads > 1 the samples are split across threads that
 * update the shared factors without locks (Hogwild, as implicit does), so
 * results then vary slightly from run to run; threads = 1 is deterministic.
 */
#include <math.h>
#include <stdlib.h>
#include "args.h"
#include "kernels.h"
#include "pool.h"

typedef struct {
  const int32_t *indptr, *indices, *user_of_entry, *pos_entry, *neg_item;
  float *x, *y;
  int f;
  float lr, reg;
  int verify;
  /* When the users x items matrix is small enough, a bitset of the positives
   * replaces the binary search (whose mispredicted branches cost ~1/3 of a
   * sample's time on ML-100k). */
  const uint64_t *bits;
  int64_t n_items;
  double loss[64];
  int64_t correct[64], skipped[64];
} bpr_ctx;

static int row_has(const int32_t *indices, int32_t lo, int32_t hi, int32_t col) {
  int32_t a = lo, b = hi - 1;
  while (a <= b) {
    int32_t m = (a + b) >> 1;
    int32_t v = indices[m];
    if (v == col) return 1;
    if (v < col) a = m + 1;
    else b = m - 1;
  }
  return 0;
}

static void bpr_range(void *vctx, int64_t start, int64_t end, int thread) {
  bpr_ctx *c = (bpr_ctx *)vctx;
  const int f = c->f, stride = f + 1;
  const float lr = c->lr, reg = c->reg;
  double loss = 0;
  int64_t correct = 0, skipped = 0;
  for (int64_t s = start; s < end; s++) {
    const int32_t e = c->pos_entry[s];
    const int32_t u = c->user_of_entry[e];
    const int32_t i = c->indices[e];
    const int32_t j = c->neg_item[s];
    const int liked = c->bits ? (int)((c->bits[((int64_t)u * c->n_items + j) >> 6] >> (((int64_t)u * c->n_items + j) & 63)) & 1)
                              : row_has(c->indices, c->indptr[u], c->indptr[u + 1], j);
    if (c->verify && liked) {
      skipped++;
      continue;
    }
    float *restrict xu = c->x + (int64_t)u * stride;
    float *restrict yi = c->y + (int64_t)i * stride;
    float *restrict yj = c->y + (int64_t)j * stride;
    float score = 0.f;
#pragma omp simd reduction(+ : score)
    for (int k = 0; k <= f; k++) score += xu[k] * (yi[k] - yj[k]);
    const float z = 1.f / (1.f + expf(score));
    if (z < 0.5f) correct++;
    /* -ln sigma(x_uij) = ln(1 + e^{-x_uij}), estimated from every 8th sample (LOSS_STRIDE in bpr-sgd.ts) */
    if ((s & 7) == 0) loss += 8.0 * log1p(exp(-(double)score));
#pragma omp simd
    for (int k = 0; k < f; k++) {
      const float a = xu[k], b = yi[k], d = yj[k];
      xu[k] = a + lr * (z * (b - d) - reg * a);
      yi[k] = b + lr * (z * a - reg * b);
      yj[k] = d + lr * (-z * a - reg * d);
    }
    yi[f] = yi[f] + lr * (z - reg * yi[f]);
    yj[f] = yj[f] + lr * (-z - reg * yj[f]);
  }
  c->loss[thread] += loss;
  c->correct[thread] += correct;
  c->skipped[thread] += skipped;
}

/* bprSgdEpoch(indptr, indices, userOfEntry, posEntry, negItem, x, y, f, lr, reg, verify, start, end, threads)
 * -> { correct, skipped, loss } */
napi_value js_bpr_sgd_epoch(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 14)) return NULL;
  bpr_ctx c = {0};
  size_t n_pos, n_neg;
  c.indptr = arg_i32(&a, 0, NULL);
  c.indices = arg_i32(&a, 1, NULL);
  c.user_of_entry = arg_i32(&a, 2, NULL);
  c.pos_entry = arg_i32(&a, 3, &n_pos);
  c.neg_item = arg_i32(&a, 4, &n_neg);
  c.x = arg_f32(&a, 5, NULL);
  c.y = arg_f32(&a, 6, NULL);
  c.f = (int)arg_int(&a, 7);
  c.lr = (float)arg_num(&a, 8);
  c.reg = (float)arg_num(&a, 9);
  bool verify = false;
  if (!a.failed) napi_get_value_bool(env, a.argv[10], &verify);
  c.verify = verify;
  const int64_t start = arg_int(&a, 11), end = arg_int(&a, 12);
  int threads = (int)arg_int(&a, 13);
  if (a.failed) return NULL;
  if (start < 0 || (size_t)end > n_pos || (size_t)end > n_neg) {
    napi_throw_range_error(env, NULL, "bprSgdEpoch: sample range out of bounds");
    return NULL;
  }
  if (threads < 1) threads = 1;
  if (threads > 64) threads = 64;
  size_t n_ptr;
  arg_i32(&a, 0, &n_ptr);
  const int64_t n_users = (int64_t)n_ptr - 1;
  size_t n_y;
  arg_f32(&a, 6, &n_y);
  c.n_items = (int64_t)n_y / (c.f + 1);
  uint64_t *bits = NULL;
  const int64_t n_bits = n_users * c.n_items;
  if (c.verify && n_bits > 0 && n_bits <= ((int64_t)1 << 26)) {
    bits = calloc((size_t)((n_bits + 63) >> 6), sizeof(uint64_t));
    for (int64_t u = 0; bits && u < n_users; u++) {
      for (int32_t e = c.indptr[u]; e < c.indptr[u + 1]; e++) {
        const int64_t b = u * c.n_items + c.indices[e];
        bits[b >> 6] |= (uint64_t)1 << (b & 63);
      }
    }
  }
  c.bits = bits;
  parallel_for(threads, start, end, (end - start + threads - 1) / threads, bpr_range, &c);
  free(bits);
  double loss = 0;
  int64_t correct = 0, skipped = 0;
  for (int t = 0; t < threads; t++) {
    loss += c.loss[t];
    correct += c.correct[t];
    skipped += c.skipped[t];
  }
  napi_value out;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "correct", make_number(env, (double)correct));
  napi_set_named_property(env, out, "skipped", make_number(env, (double)skipped));
  napi_set_named_property(env, out, "loss", make_number(env, loss));
  return out;
}
