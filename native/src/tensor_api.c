/* N-API bindings of the BLAS tensor kernels. Tensors are (ArrayBuffer, byte
 * offset) pairs into one heap, the wasm backend's memory; each is checked to
 * lie inside the buffer, 4-byte aligned, and the output not to overlap an
 * input, before any kernel touches memory. Geometry comes as an Int32Array. */
#include <stdio.h>
#include "args.h"
#include "kernels.h"
#include "tensor.h"

typedef struct {
  char *base;
  size_t len;
} heap_t;

static int get_heap(args_t *a, size_t i, heap_t *h) {
  if (a->failed) return 0;
  bool is_ab = false;
  void *data = NULL;
  napi_is_arraybuffer(a->env, a->argv[i], &is_ab);
  if (!is_ab || napi_get_arraybuffer_info(a->env, a->argv[i], &data, &h->len) != napi_ok) {
    napi_throw_type_error(a->env, NULL, "argument 0 must be an ArrayBuffer (the heap)");
    a->failed = 1;
    return 0;
  }
  h->base = (char *)data;
  return 1;
}

/* The float32 tensor at byte offset argv[i] holding `count` values, or NULL (with a RangeError thrown). */
static float *heap_f32(args_t *a, const heap_t *h, size_t i, int64_t count) {
  if (a->failed) return NULL;
  const int64_t off = arg_int(a, i);
  if (a->failed) return NULL;
  if (off < 0 || (off & 3) != 0 || count < 0 || (uint64_t)off + (uint64_t)count * 4u > h->len) {
    char msg[128];
    snprintf(msg, sizeof msg, "tensor at argument %zu (offset %lld, %lld floats) is outside the heap", i, (long long)off,
             (long long)count);
    napi_throw_range_error(a->env, NULL, msg);
    a->failed = 1;
    return NULL;
  }
  return (float *)(h->base + off);
}

static int overlaps(const float *a, int64_t na, const float *b, int64_t nb) {
  return a != NULL && b != NULL && na > 0 && nb > 0 && a < b + nb && b < a + na;
}

static int check_out(args_t *a, const float *out, int64_t nout, const float *in1, int64_t n1, const float *in2, int64_t n2) {
  if (a->failed) return 0;
  if (overlaps(out, nout, in1, n1) || overlaps(out, nout, in2, n2)) {
    napi_throw_range_error(a->env, NULL, "output tensor overlaps an input");
    a->failed = 1;
    return 0;
  }
  return 1;
}

static const int32_t *geom_arg(args_t *a, size_t i, size_t want) {
  size_t len = 0;
  const int32_t *g = arg_i32(a, i, &len);
  if (g != NULL && len < want) {
    napi_throw_range_error(a->env, NULL, "geometry array too short");
    a->failed = 1;
    return NULL;
  }
  return g;
}

static void to_conv_geom(const int32_t *v, conv_geom *g) {
  *g = (conv_geom){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
}

static int valid_conv(args_t *a, const conv_geom *g) {
  if (g->n < 0 || g->h < 0 || g->w < 0 || g->cin < 0 || g->kh < 0 || g->kw < 0 || g->cout < 0 || g->oh < 0 || g->ow < 0 ||
      g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1) {
    napi_throw_range_error(a->env, NULL, "bad convolution geometry");
    a->failed = 1;
    return 0;
  }
  return 1;
}

static napi_value oom(napi_env env) {
  napi_throw_error(env, NULL, "out of memory for the im2col buffer");
  return NULL;
}

/* tensorMatMul(heap, aOff, bOff, cOff, biasOff, geom[batchA, batchB, m, n, k, transA, transB, biasLen], act, alpha) */
napi_value js_tensor_matmul(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  if (!args_init(&a, env, info, 8) || !get_heap(&a, 0, &h)) return NULL;
  const int32_t *g = geom_arg(&a, 5, 8);
  if (g == NULL) return NULL;
  const int64_t ba = g[0], bb = g[1], m = g[2], n = g[3], k = g[4], bias_len = g[7];
  const int64_t batch = ba > bb ? ba : bb;
  if (ba < 1 || bb < 1 || (ba != bb && ba != 1 && bb != 1) || m < 0 || n < 0 || k < 0 || bias_len < 0) {
    napi_throw_range_error(env, NULL, "bad matmul geometry");
    return NULL;
  }
  const float *pa = heap_f32(&a, &h, 1, ba * m * k), *pb = heap_f32(&a, &h, 2, bb * k * n);
  float *pc = heap_f32(&a, &h, 3, batch * m * n);
  const float *bias = bias_len > 0 ? heap_f32(&a, &h, 4, bias_len) : NULL;
  const int act = (int)arg_int(&a, 6);
  const float alpha = (float)arg_num(&a, 7);
  if (!check_out(&a, pc, batch * m * n, pa, ba * m * k, pb, bb * k * n)) return NULL;
  const epilogue_t ep = {bias, bias_len, act, alpha};
  tensor_matmul(pa, pb, pc, ba, bb, m, n, k, g[5], g[6], &ep);
  return NULL;
}

/* conv2d(heap, xOff, wOff, yOff, biasOff, geom[15 + biasLen], act, alpha) */
napi_value js_conv2d(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  conv_geom g;
  if (!args_init(&a, env, info, 8) || !get_heap(&a, 0, &h)) return NULL;
  const int32_t *v = geom_arg(&a, 5, 16);
  if (v == NULL) return NULL;
  to_conv_geom(v, &g);
  if (!valid_conv(&a, &g)) return NULL;
  const int64_t nx = g.n * g.h * g.w * g.cin, nw = g.kh * g.kw * g.cin * g.cout, ny = g.n * g.oh * g.ow * g.cout;
  const float *x = heap_f32(&a, &h, 1, nx), *w = heap_f32(&a, &h, 2, nw);
  float *y = heap_f32(&a, &h, 3, ny);
  const float *bias = v[15] > 0 ? heap_f32(&a, &h, 4, v[15]) : NULL;
  const int act = (int)arg_int(&a, 6);
  const float alpha = (float)arg_num(&a, 7);
  if (!check_out(&a, y, ny, x, nx, w, nw)) return NULL;
  const epilogue_t ep = {bias, v[15], act, alpha};
  return conv2d_forward(x, w, y, &g, &ep) == 0 ? NULL : oom(env);
}

/* conv2dBackpropInput(heap, dyOff, wOff, dxOff, geom[15]) */
napi_value js_conv2d_backprop_input(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  conv_geom g;
  if (!args_init(&a, env, info, 5) || !get_heap(&a, 0, &h)) return NULL;
  const int32_t *v = geom_arg(&a, 4, 15);
  if (v == NULL) return NULL;
  to_conv_geom(v, &g);
  if (!valid_conv(&a, &g)) return NULL;
  const int64_t nx = g.n * g.h * g.w * g.cin, nw = g.kh * g.kw * g.cin * g.cout, ny = g.n * g.oh * g.ow * g.cout;
  const float *dy = heap_f32(&a, &h, 1, ny), *w = heap_f32(&a, &h, 2, nw);
  float *dx = heap_f32(&a, &h, 3, nx);
  if (!check_out(&a, dx, nx, dy, ny, w, nw)) return NULL;
  return conv2d_backprop_input(dy, w, dx, &g) == 0 ? NULL : oom(env);
}

/* conv2dBackpropFilter(heap, xOff, dyOff, dwOff, geom[15]) */
napi_value js_conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  conv_geom g;
  if (!args_init(&a, env, info, 5) || !get_heap(&a, 0, &h)) return NULL;
  const int32_t *v = geom_arg(&a, 4, 15);
  if (v == NULL) return NULL;
  to_conv_geom(v, &g);
  if (!valid_conv(&a, &g)) return NULL;
  const int64_t nx = g.n * g.h * g.w * g.cin, nw = g.kh * g.kw * g.cin * g.cout, ny = g.n * g.oh * g.ow * g.cout;
  const float *x = heap_f32(&a, &h, 1, nx), *dy = heap_f32(&a, &h, 2, ny);
  float *dw = heap_f32(&a, &h, 3, nw);
  if (!check_out(&a, dw, nw, x, nx, dy, ny)) return NULL;
  return conv2d_backprop_filter(x, dy, dw, &g) == 0 ? NULL : oom(env);
}

/* tensorSum(heap, xOff, outOff, rows, cols, leading) */
napi_value js_tensor_sum(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  if (!args_init(&a, env, info, 6) || !get_heap(&a, 0, &h)) return NULL;
  const int64_t rows = arg_int(&a, 3), cols = arg_int(&a, 4);
  const int leading = (int)arg_int(&a, 5);
  if (a.failed) return NULL;
  if (rows < 0 || cols < 0) {
    napi_throw_range_error(env, NULL, "bad reduction shape");
    return NULL;
  }
  const int64_t nout = leading ? cols : rows;
  const float *x = heap_f32(&a, &h, 1, rows * cols);
  float *out = heap_f32(&a, &h, 2, nout);
  if (!check_out(&a, out, nout, x, rows * cols, NULL, 0)) return NULL;
  if (tensor_sum(x, out, rows, cols, leading) != 0) napi_throw_error(env, NULL, "out of memory");
  return NULL;
}

/* tensorLeakyRelu(heap, xOff, yOff, n, alpha) */
napi_value js_tensor_leaky_relu(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  if (!args_init(&a, env, info, 5) || !get_heap(&a, 0, &h)) return NULL;
  const int64_t n = arg_int(&a, 3);
  const float alpha = (float)arg_num(&a, 4);
  const float *x = heap_f32(&a, &h, 1, n);
  float *y = heap_f32(&a, &h, 2, n);
  if (!check_out(&a, y, n, x, n, NULL, 0)) return NULL;
  tensor_leaky_relu(x, y, n, alpha);
  return NULL;
}

/* tensorLeakyReluGrad(heap, dyOff, xOff, dxOff, n, alpha) */
napi_value js_tensor_leaky_relu_grad(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  if (!args_init(&a, env, info, 6) || !get_heap(&a, 0, &h)) return NULL;
  const int64_t n = arg_int(&a, 4);
  const float alpha = (float)arg_num(&a, 5);
  const float *dy = heap_f32(&a, &h, 1, n), *x = heap_f32(&a, &h, 2, n);
  float *dx = heap_f32(&a, &h, 3, n);
  if (!check_out(&a, dx, n, dy, n, x, n)) return NULL;
  tensor_leaky_relu_grad(dy, x, dx, n, alpha);
  return NULL;
}

/* tensorAdam(heap, xOff, mOff, vOff, gOff, xOutOff, mOutOff, vOutOff, n, params: Float32Array[6]) */
napi_value js_tensor_adam(napi_env env, napi_callback_info info) {
  args_t a;
  heap_t h;
  if (!args_init(&a, env, info, 10) || !get_heap(&a, 0, &h)) return NULL;
  const int64_t n = arg_int(&a, 8);
  size_t np = 0;
  const float *p = arg_f32(&a, 9, &np);
  if (a.failed) return NULL;
  if (np < 6 || n < 0) {
    napi_throw_range_error(env, NULL, "adam: bad size or parameters");
    return NULL;
  }
  const float *x = heap_f32(&a, &h, 1, n), *m = heap_f32(&a, &h, 2, n), *v = heap_f32(&a, &h, 3, n), *g = heap_f32(&a, &h, 4, n);
  float *xo = heap_f32(&a, &h, 5, n), *mo = heap_f32(&a, &h, 6, n), *vo = heap_f32(&a, &h, 7, n);
  if (!check_out(&a, xo, n, x, n, m, n) || !check_out(&a, xo, n, v, n, g, n) || !check_out(&a, mo, n, x, n, m, n) ||
      !check_out(&a, mo, n, v, n, g, n) || !check_out(&a, vo, n, x, n, m, n) || !check_out(&a, vo, n, v, n, g, n))
    return NULL;
  tensor_adam(x, m, v, g, xo, mo, vo, n, p);
  return NULL;
}

/* setBlasThreads(n): the threads sgemm uses (OpenBLAS; a generic CBLAS ignores it). */
napi_value js_set_blas_threads(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 1)) return NULL;
  const int64_t n = arg_int(&a, 0);
  if (a.failed) return NULL;
  tensor_set_threads((int)(n < 1 ? 1 : n > 256 ? 256 : n));
  return NULL;
}

/* blasInfo(): { threads, config } */
napi_value js_blas_info(napi_env env, napi_callback_info info) {
  napi_value out, s;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "threads", make_number(env, tensor_get_threads()));
  napi_create_string_utf8(env, tensor_blas_name(), NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, out, "config", s);
  return out;
}
