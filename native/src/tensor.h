/* Tensor kernels over a CBLAS (built only when find-blas.mjs finds one:
 * VITRINE_HAS_BLAS). They run in place on caller memory, in practice the
 * TensorFlow.js wasm backend's heap (src/engine/native-tensor.ts), in that
 * backend's layouts: row-major matrices, NHWC images, HWIO filters
 * ([kh, kw, cin, cout]). Each has a wasm/cpu twin in tfjs that is the
 * reference; src/engine tests check they agree. */
#ifndef VITRINE_TENSOR_H
#define VITRINE_TENSOR_H
#include <stdint.h>

/* Fused epilogue: y = act(y + bias), as tfjs's FusedConv2D / _FusedMatMul. */
enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_LEAKYRELU = 3, ACT_SIGMOID = 4, ACT_ELU = 5 };

typedef struct {
  const float *bias; /* NULL, or bias_len values broadcast over rows (1 or cols) */
  int64_t bias_len;
  int act;
  float alpha; /* leaky ReLU slope */
} epilogue_t;

/* 2-D convolution geometry, tfjs's Conv2DInfo reduced to what the kernels need. */
typedef struct {
  int64_t n, h, w, cin;  /* input  [n, h, w, cin] */
  int64_t kh, kw, cout;  /* filter [kh, kw, cin, cout] */
  int64_t oh, ow;        /* output [n, oh, ow, cout] */
  int64_t sh, sw, dh, dw; /* strides, dilations */
  int64_t pt, pl;        /* top and left padding (bottom/right follow from oh, ow) */
} conv_geom;

void epilogue_apply(float *y, int64_t rows, int64_t cols, const epilogue_t *ep);

/* c[b] = op(a[b]) op(b[b]) (+ epilogue) for b < max(batch_a, batch_b); a batch of 1 broadcasts. */
void tensor_matmul(const float *a, const float *b, float *c, int64_t batch_a, int64_t batch_b, int64_t m, int64_t n,
                   int64_t k, int trans_a, int trans_b, const epilogue_t *ep);

/* Return 0, or -1 when the scratch buffer cannot be allocated. */
int conv2d_forward(const float *x, const float *w, float *y, const conv_geom *g, const epilogue_t *ep);
int conv2d_backprop_input(const float *dy, const float *w, float *dx, const conv_geom *g);
int conv2d_backprop_filter(const float *x, const float *dy, float *dw, const conv_geom *g);

/* out = Σ over the leading rows (leading = 1, out[cols]) or over each row (leading = 0, out[rows]); -1 when out of memory. */
int tensor_sum(const float *x, float *out, int64_t rows, int64_t cols, int leading);
void tensor_leaky_relu(const float *x, float *y, int64_t n, float alpha);
void tensor_leaky_relu_grad(const float *dy, const float *x, float *dx, int64_t n, float alpha);
/* p = {lr, beta1, beta2, eps, 1/(1 - beta1^t), 1/(1 - beta2^t)} */
void tensor_adam(const float *x, const float *m, const float *v, const float *g, float *xo, float *mo, float *vo, int64_t n,
                 const float p[6]);

void tensor_set_threads(int threads);
int tensor_get_threads(void);
const char *tensor_blas_name(void);
#endif
