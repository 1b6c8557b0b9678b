/*
 * 2-D convolution as im2col/col2im plus one sgemm per chunk of output rows
 * (Chellapilla, Puri and Simard 2006, "High performance convolutional neural
 * networks for document processing"), in NHWC with HWIO filters, so that an
 * output row r = (n, oy, ox) and a filter row (i, j, c) line up with tfjs's
 * tensors without any transpose:
 *
 *   forward          y[M, cout]  = cols[M, K] · W[K, cout]          (M = n·oh·ow, K = kh·kw·cin)
 *   backprop input   dcols[M, K] = dy[M, cout] · Wᵀ, dx = col2im(dcols)   (also transposed conv)
 *   backprop filter  dW[K, cout] = Σ_chunks cols[chunk]ᵀ · dy[chunk]
 *
 * Rows go in chunks of about CHUNK_FLOATS column values so the im2col buffer
 * stays in cache between its write and the sgemm that reads it. A 1x1,
 * stride-1, unpadded convolution needs no im2col: x already is cols.
 */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#include "tensor.h"

#define CHUNK_FLOATS (1 << 20) /* 4 MB of column values per chunk */
#define MIN_ROWS 256

/* A per-thread scratch buffer, grown on demand and kept (no page faults per call). */
static __thread float *scratch = NULL;
static __thread size_t scratch_cap = 0;

static float *scratch_floats(size_t count) {
  if (count > scratch_cap) {
    free(scratch);
    scratch = (float *)malloc(count * sizeof(float));
    scratch_cap = scratch == NULL ? 0 : count;
  }
  return scratch;
}

/* Rows per chunk: about CHUNK_FLOATS column values, but at least MIN_ROWS so
 * that sgemm's packing of the filter (K x cout, once per call) and, for the
 * filter gradient, the read-modify-write of dW stay small next to the
 * 2·rows·K·cout flops of the chunk. */
static int64_t chunk_rows(const conv_geom *g, int64_t k) {
  const int64_t m = g->n * g->oh * g->ow;
  int64_t rows = CHUNK_FLOATS / (k > 0 ? k : 1);
  if (rows < MIN_ROWS) rows = MIN_ROWS;
  return rows < m ? rows : m;
}

static int is_pointwise(const conv_geom *g) {
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->pt == 0 && g->pl == 0 && g->oh == g->h && g->ow == g->w;
}

/* cols[r - r0, (i·kw + j)·cin + c] = x[n, oy·sh + i·dh - pt, ox·sw + j·dw - pl, c], or 0 in the padding. */
static void im2col(const float *x, const conv_geom *g, int64_t r0, int64_t r1, float *cols) {
  const int64_t cin = g->cin, plane = g->oh * g->ow, rowlen = g->kw * cin;
  float *dst = cols;
  for (int64_t r = r0; r < r1; r++) {
    const int64_t n = r / plane, oy = (r % plane) / g->ow, ox = r % g->ow;
    const float *xn = x + n * g->h * g->w * cin;
    const int64_t x0 = ox * g->sw - g->pl;
    const int whole = g->dw == 1 && x0 >= 0 && x0 + g->kw <= g->w;
    for (int64_t i = 0; i < g->kh; i++, dst += rowlen) {
      const int64_t iy = oy * g->sh + i * g->dh - g->pt;
      if (iy < 0 || iy >= g->h) {
        memset(dst, 0, sizeof(float) * rowlen);
      } else if (whole) {
        memcpy(dst, xn + (iy * g->w + x0) * cin, sizeof(float) * rowlen);
      } else {
        for (int64_t j = 0; j < g->kw; j++) {
          const int64_t ix = x0 + j * g->dw;
          if (ix < 0 || ix >= g->w) memset(dst + j * cin, 0, sizeof(float) * cin);
          else memcpy(dst + j * cin, xn + (iy * g->w + ix) * cin, sizeof(float) * cin);
        }
      }
    }
  }
}

/* The adjoint of im2col: dx[n, iy, ix, c] += dcols[r - r0, (i·kw + j)·cin + c]. */
static void col2im_add(const float *dcols, const conv_geom *g, int64_t r0, int64_t r1, float *dx) {
  const int64_t cin = g->cin, plane = g->oh * g->ow, k = g->kh * g->kw * cin;
  for (int64_t r = r0; r < r1; r++) {
    const int64_t n = r / plane, oy = (r % plane) / g->ow, ox = r % g->ow;
    float *xn = dx + n * g->h * g->w * cin;
    const float *src = dcols + (r - r0) * k;
    for (int64_t i = 0; i < g->kh; i++) {
      const int64_t iy = oy * g->sh + i * g->dh - g->pt;
      if (iy < 0 || iy >= g->h) continue;
      for (int64_t j = 0; j < g->kw; j++) {
        const int64_t ix = ox * g->sw + j * g->dw - g->pl;
        if (ix < 0 || ix >= g->w) continue;
        float *d = xn + (iy * g->w + ix) * cin;
        const float *s = src + (i * g->kw + j) * cin;
#pragma omp simd
        for (int64_t c = 0; c < cin; c++) d[c] += s[c];
      }
    }
  }
}

int conv2d_forward(const float *x, const float *w, float *y, const conv_geom *g, const epilogue_t *ep) {
  const int64_t m = g->n * g->oh * g->ow, k = g->kh * g->kw * g->cin, cout = g->cout;
  if (m == 0 || cout == 0) return 0;
  if (k == 0) {
    memset(y, 0, sizeof(float) * m * cout);
    epilogue_apply(y, m, cout, ep);
    return 0;
  }
  const int direct = is_pointwise(g);
  const int64_t mc = chunk_rows(g, k);
  float *cols = direct ? NULL : scratch_floats((size_t)(mc * k));
  if (!direct && cols == NULL) return -1;
  for (int64_t r0 = 0; r0 < m; r0 += mc) {
    const int64_t r1 = r0 + mc < m ? r0 + mc : m;
    const float *a = direct ? x + r0 * k : cols;
    if (!direct) im2col(x, g, r0, r1, cols);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(r1 - r0), (int)cout, (int)k, 1.f, a, (int)k, w,
                (int)cout, 0.f, y + r0 * cout, (int)cout);
    epilogue_apply(y + r0 * cout, r1 - r0, cout, ep);
  }
  return 0;
}

int conv2d_backprop_input(const float *dy, const float *w, float *dx, const conv_geom *g) {
  const int64_t m = g->n * g->oh * g->ow, k = g->kh * g->kw * g->cin, cout = g->cout;
  memset(dx, 0, sizeof(float) * g->n * g->h * g->w * g->cin);
  if (m == 0 || k == 0 || cout == 0) return 0;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)k, (int)cout, 1.f, dy, (int)cout, w, (int)cout,
                0.f, dx, (int)k);
    return 0;
  }
  const int64_t mc = chunk_rows(g, k);
  float *dcols = scratch_floats((size_t)(mc * k));
  if (dcols == NULL) return -1;
  for (int64_t r0 = 0; r0 < m; r0 += mc) {
    const int64_t r1 = r0 + mc < m ? r0 + mc : m;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(r1 - r0), (int)k, (int)cout, 1.f, dy + r0 * cout,
                (int)cout, w, (int)cout, 0.f, dcols, (int)k);
    col2im_add(dcols, g, r0, r1, dx);
  }
  return 0;
}

int conv2d_backprop_filter(const float *x, const float *dy, float *dw, const conv_geom *g) {
  const int64_t m = g->n * g->oh * g->ow, k = g->kh * g->kw * g->cin, cout = g->cout;
  memset(dw, 0, sizeof(float) * k * cout);
  if (m == 0 || k == 0 || cout == 0) return 0;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)cout, (int)m, 1.f, x, (int)k, dy, (int)cout, 0.f,
                dw, (int)cout);
    return 0;
  }
  const int64_t mc = chunk_rows(g, k);
  float *cols = scratch_floats((size_t)(mc * k));
  if (cols == NULL) return -1;
  for (int64_t r0 = 0; r0 < m; r0 += mc) {
    const int64_t r1 = r0 + mc < m ? r0 + mc : m;
    im2col(x, g, r0, r1, cols);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)cout, (int)(r1 - r0), 1.f, cols, (int)k,
                dy + r0 * cout, (int)cout, 1.f, dw, (int)cout);
  }
  return 0;
}
