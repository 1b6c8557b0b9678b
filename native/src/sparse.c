/*
 * Sparse matrix times dense vector: out[r] = sum_q data[q] * x[indices[q]]
 * over row r of a CSR matrix (the content model scores every product as the
 * dot of its sparse feature row with the shopper's profile). The twin is
 * csrMatVec in src/engine/cf/sparse.ts.
 */
#include "args.h"
#include "kernels.h"

/* csrMatVec(indptr, indices, data, x, nRows, out): checks every index against x. */
napi_value js_csr_mat_vec(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_init(&a, env, info, 6)) return NULL;
  size_t n_ptr, n_idx, n_data, n_x, n_out;
  const int32_t *indptr = arg_i32(&a, 0, &n_ptr);
  const int32_t *indices = arg_i32(&a, 1, &n_idx);
  const float *data = arg_f32(&a, 2, &n_data);
  const float *x = arg_f32(&a, 3, &n_x);
  const int64_t n_rows = arg_int(&a, 4);
  float *out = arg_f32(&a, 5, &n_out);
  if (a.failed) return NULL;
  if (n_rows < 0 || n_ptr < (size_t)n_rows + 1 || n_out < (size_t)n_rows || indptr[0] < 0 || (size_t)indptr[n_rows] > n_idx ||
      (size_t)indptr[n_rows] > n_data) {
    napi_throw_range_error(env, NULL, "csrMatVec: shapes do not match");
    return NULL;
  }
  for (int64_t r = 0; r < n_rows; r++) {
    if (indptr[r + 1] < indptr[r]) {
      napi_throw_range_error(env, NULL, "csrMatVec: indptr is not monotone");
      return NULL;
    }
  }
  for (int64_t r = 0; r < n_rows; r++) {
    float s = 0.0f;
    for (int32_t q = indptr[r]; q < indptr[r + 1]; q++) {
      const int32_t c = indices[q];
      if ((uint32_t)c >= n_x) goto bad_index;
      s += data[q] * x[c];
    }
    out[r] = s;
  }
  return NULL;
bad_index:
  napi_throw_range_error(env, NULL, "csrMatVec: column index out of range");
  return NULL;
}
