/*
 * Batched scoring for matrix-factorisation models: scores = X[rows] Y^T, and
 * the fused top-k that ranking all shoppers needs (score a user against every
 * item, mask the seen ones, keep the k best in a small heap). Ties go to the
 * lower item index, as in src/engine/cf/select.ts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "kernels.h"
#include "pool.h"
#include "vec.h"

typedef struct {
  const float *x;
  const float *panels; /* y packed 16 items at a time, k-major (see pack_panels) */
  const int32_t *rows;
  int f;
  int64_t n_items;
  float *out;
  /* fused top-k */
  const int32_t *seen_ptr, *seen_idx;
  int64_t seen_rows;
  int k;
  int32_t *out_items;
  float *out_scores;
} score_ctx;


/* panels[p*16*f + k*16 + t] = y[(p*16 + t)*f + k], zero past n_items: 16 items
 * side by side so one vector load feeds 16 item scores. */
static void pack_panels(const float *y, int64_t n_items, int f, float *panels) {
  const int64_t np = (n_items + 15) / 16;
  memset(panels, 0, sizeof(float) * (size_t)(np * 16 * f));
  for (int64_t i = 0; i < n_items; i++) {
    float *dst = panels + (i / 16) * 16 * f + (i % 16);
    const float *src = y + i * f;
    for (int k = 0; k < f; k++) dst[k * 16] = src[k];
  }
}

/* packPanels(y, f, nItems, out): out (ceil(nItems/16)*16*f floats) = y in 16-item k-major panels. */
napi_value js_pack_panels(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 4)) return NULL;
  size_t n_y, n_out;
  const float *y = arg_f32(&a, 0, &n_y);
  const int f = (int)arg_int(&a, 1);
  const int64_t n_items = arg_int(&a, 2);
  float *out = arg_f32(&a, 3, &n_out);
  if (a.failed) return NULL;
  if (f <= 0 || n_items < 0 || (size_t)(n_items * f) > n_y || n_out < (size_t)((n_items + 15) / 16 * 16 * f)) {
    napi_throw_range_error(env, NULL, "packPanels: shapes do not match");
    return NULL;
  }
  pack_panels(y, n_items, f, out);
  return NULL;
}

/* One user (the request path's case): four accumulators over k, so the
 * loop runs at FMA throughput, not at the latency of one dependent chain. */
static void score_one(const score_ctx *c, int32_t row, float *out) {
  const int f = c->f;
  const float *x = c->x + (int64_t)row * f;
  const int64_t np = (c->n_items + 15) / 16;
  float tmp[16];
  for (int64_t p = 0; p < np; p++) {
    const float *pan = c->panels + p * 16 * f;
    v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    int k = 0;
    for (; k + 4 <= f; k += 4) {
      a0 += x[k] * load16(pan + k * 16);
      a1 += x[k + 1] * load16(pan + (k + 1) * 16);
      a2 += x[k + 2] * load16(pan + (k + 2) * 16);
      a3 += x[k + 3] * load16(pan + (k + 3) * 16);
    }
    for (; k < f; k++) a0 += x[k] * load16(pan + k * 16);
    store16(tmp, (a0 + a1) + (a2 + a3));
    const int64_t i0 = p * 16;
    const int cnt = c->n_items - i0 < 16 ? (int)(c->n_items - i0) : 16;
    memcpy(out + i0, tmp, sizeof(float) * cnt);
  }
}

/* out[u * n_items + i] = x_{rows[u]} . y_i for up to 4 users (nu) at once. */
static void score_block(const score_ctx *c, const int32_t *rows, int nu, float *out) {
  if (nu == 1) {
    score_one(c, rows[0], out);
    return;
  }
  const int f = c->f;
  const float *x0 = c->x + (int64_t)rows[0] * f;
  const float *x1 = c->x + (int64_t)rows[nu > 1 ? 1 : 0] * f;
  const float *x2 = c->x + (int64_t)rows[nu > 2 ? 2 : 0] * f;
  const float *x3 = c->x + (int64_t)rows[nu > 3 ? 3 : 0] * f;
  const int64_t np = (c->n_items + 15) / 16;
  float tmp[4][16];
  for (int64_t p = 0; p < np; p++) {
    const float *pan = c->panels + p * 16 * f;
    v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (int k = 0; k < f; k++) {
      const v16 yv = load16(pan + k * 16);
      a0 += x0[k] * yv;
      a1 += x1[k] * yv;
      a2 += x2[k] * yv;
      a3 += x3[k] * yv;
    }
    store16(tmp[0], a0);
    store16(tmp[1], a1);
    store16(tmp[2], a2);
    store16(tmp[3], a3);
    const int64_t i0 = p * 16;
    const int cnt = c->n_items - i0 < 16 ? (int)(c->n_items - i0) : 16;
    for (int u = 0; u < nu; u++) memcpy(out + u * c->n_items + i0, tmp[u], sizeof(float) * cnt);
  }
}

static void score_range(void *vctx, int64_t start, int64_t end, int thread) {
  score_ctx *c = (score_ctx *)vctx;
  for (int64_t r = start; r < end; r += 4) {
    const int nu = end - r < 4 ? (int)(end - r) : 4;
    score_block(c, c->rows + r, nu, c->out + r * c->n_items);
  }
}

/* scoreRows(x, rows, panels, f, nItems, out, threads): out[r*nItems + i] = x_{rows[r]} . y_i, panels = packPanels(y) */
napi_value js_score_rows(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 7)) return NULL;
  score_ctx c = {0};
  size_t n_rows, n_out, n_y, n_x;
  c.x = arg_f32(&a, 0, &n_x);
  c.rows = arg_i32(&a, 1, &n_rows);
  c.panels = arg_f32(&a, 2, &n_y);
  c.f = (int)arg_int(&a, 3);
  c.n_items = arg_int(&a, 4);
  c.out = arg_f32(&a, 5, &n_out);
  int threads = (int)arg_int(&a, 6);
  if (a.failed) return NULL;
  if (c.f <= 0 || (size_t)((c.n_items + 15) / 16 * 16 * c.f) > n_y || n_out < n_rows * (size_t)c.n_items) {
    napi_throw_range_error(env, NULL, "scoreRows: shapes do not match");
    return NULL;
  }
  for (size_t r = 0; r < n_rows; r++) {
    if (c.rows[r] < 0 || (size_t)(c.rows[r] + 1) * c.f > n_x) {
      napi_throw_range_error(env, NULL, "scoreRows: row index out of range");
      return NULL;
    }
  }
  parallel_for(threads, 0, (int64_t)n_rows, 8, score_range, &c);
  return NULL;
}

/* heap of the k best: root = worst kept. worse(a, b): a ranks below b. */
static inline int worse(int32_t ia, float sa, int32_t ib, float sb) { return sa < sb || (sa == sb && ia > ib); }

static void sift_down(int32_t *items, float *scores, int n, int pos, int32_t item, float score) {
  for (;;) {
    int child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && worse(items[child + 1], scores[child + 1], items[child], scores[child])) child++;
    if (!worse(items[child], scores[child], item, score)) break;
    items[pos] = items[child];
    scores[pos] = scores[child];
    pos = child;
  }
  items[pos] = item;
  scores[pos] = score;
}

static void sift_up(int32_t *items, float *scores, int pos, int32_t item, float score) {
  while (pos > 0) {
    int parent = (pos - 1) >> 1;
    if (!worse(item, score, items[parent], scores[parent])) break;
    items[pos] = items[parent];
    scores[pos] = scores[parent];
    pos = parent;
  }
  items[pos] = item;
  scores[pos] = score;
}

static void topk_range(void *vctx, int64_t start, int64_t end, int thread) {
  score_ctx *c = (score_ctx *)vctx;
  const int k = c->k;
  float *block = malloc(sizeof(float) * 4 * c->n_items);
  int32_t *hi = malloc(sizeof(int32_t) * (k > 0 ? k : 1));
  float *hs = malloc(sizeof(float) * (k > 0 ? k : 1));
  for (int64_t r = start; r < end; r++) {
    const int32_t u = c->rows[r];
    const int64_t b = (r - start) % 4;
    if (b == 0) score_block(c, c->rows + r, end - r < 4 ? (int)(end - r) : 4, block);
    float *buf = block + b * c->n_items;
    if (c->seen_ptr && u < c->seen_rows) {
      for (int32_t j = c->seen_ptr[u]; j < c->seen_ptr[u + 1]; j++) buf[c->seen_idx[j]] = -INFINITY;
    }
    int n = 0;
    for (int64_t i = 0; i < c->n_items; i++) {
      const float s = buf[i];
      if (!(s > -INFINITY)) continue;
      if (n < k) sift_up(hi, hs, n++, (int32_t)i, s);
      else if (worse(hi[0], hs[0], (int32_t)i, s)) sift_down(hi, hs, n, 0, (int32_t)i, s);
    }
    int32_t *oi = c->out_items + r * k;
    float *os = c->out_scores + r * k;
    for (int pos = k - 1; pos >= n; pos--) {
      oi[pos] = -1;
      os[pos] = -INFINITY;
    }
    for (int pos = n - 1; pos >= 0; pos--) {
      oi[pos] = hi[0];
      os[pos] = hs[0];
      n--;
      if (n > 0) sift_down(hi, hs, n, 0, hi[n], hs[n]);
    }
  }
  free(block);
  free(hi);
  free(hs);
}

/* topKRows(x, rows, panels, f, nItems, seenIndptr | null, seenIndices | null, k, outItems, outScores, threads):
 * for each r, the k best items of x_{rows[r]} . y_i with seen items of user rows[r] removed;
 * best first, ties to the lower index; unfilled slots get item -1 and score -Infinity. */
napi_value js_topk_rows(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 11)) return NULL;
  score_ctx c = {0};
  size_t n_rows, n_y, n_x, n_oi, n_os;
  c.x = arg_f32(&a, 0, &n_x);
  c.rows = arg_i32(&a, 1, &n_rows);
  c.panels = arg_f32(&a, 2, &n_y);
  c.f = (int)arg_int(&a, 3);
  c.n_items = arg_int(&a, 4);
  napi_valuetype t5;
  napi_typeof(env, a.argv[5], &t5);
  if (t5 != napi_null && t5 != napi_undefined) {
    size_t n_seen_ptr;
    c.seen_ptr = arg_i32(&a, 5, &n_seen_ptr);
    c.seen_rows = (int64_t)n_seen_ptr - 1;
    c.seen_idx = arg_i32(&a, 6, NULL);
  }
  c.k = (int)arg_int(&a, 7);
  c.out_items = arg_i32(&a, 8, &n_oi);
  c.out_scores = arg_f32(&a, 9, &n_os);
  int threads = (int)arg_int(&a, 10);
  if (a.failed) return NULL;
  if (c.f <= 0 || c.k < 0 || (size_t)((c.n_items + 15) / 16 * 16 * c.f) > n_y || n_oi < n_rows * (size_t)c.k || n_os < n_rows * (size_t)c.k) {
    napi_throw_range_error(env, NULL, "topKRows: shapes do not match");
    return NULL;
  }
  for (size_t r = 0; r < n_rows; r++) {
    if (c.rows[r] < 0 || (size_t)(c.rows[r] + 1) * c.f > n_x) {
      napi_throw_range_error(env, NULL, "topKRows: row index out of range");
      return NULL;
    }
  }
  parallel_for(threads, 0, (int64_t)n_rows, 16, topk_range, &c);
  return NULL;
}
