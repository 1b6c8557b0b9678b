/* vitrine's optional native kernels (N-API). Every function here has a plain
 * TypeScript twin in src/engine that is the reference; tests check they agree. */
#include <node_api.h>
#include "kernels.h"

#define EXPORT(name, fn)                                               \
  do {                                                                 \
    napi_value f;                                                      \
    napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f);   \
    napi_set_named_property(env, exports, name, f);                    \
  } while (0)

static napi_value init(napi_env env, napi_value exports) {
  EXPORT("alsCgSweep", js_als_cg_sweep);
  EXPORT("gram", js_gram);
  EXPORT("bprSgdEpoch", js_bpr_sgd_epoch);
  EXPORT("vbprSgdPass", js_vbpr_sgd_pass);
  EXPORT("scoreRows", js_score_rows);
  EXPORT("topKRows", js_topk_rows);
  EXPORT("packPanels", js_pack_panels);
  EXPORT("alsExactSweep", js_als_exact_sweep);
  EXPORT("csrMatVec", js_csr_mat_vec);
#ifdef VITRINE_HAS_BLAS
  EXPORT("tensorMatMul", js_tensor_matmul);
  EXPORT("conv2d", js_conv2d);
  EXPORT("conv2dBackpropInput", js_conv2d_backprop_input);
  EXPORT("conv2dBackpropFilter", js_conv2d_backprop_filter);
  EXPORT("tensorSum", js_tensor_sum);
  EXPORT("tensorLeakyRelu", js_tensor_leaky_relu);
  EXPORT("tensorLeakyReluGrad", js_tensor_leaky_relu_grad);
  EXPORT("tensorAdam", js_tensor_adam);
  EXPORT("setBlasThreads", js_set_blas_threads);
  EXPORT("blasInfo", js_blas_info);
  const bool has_blas = true;
#else
  const bool has_blas = false;
#endif
  napi_value v, hb;
  napi_get_boolean(env, has_blas, &hb);
  napi_set_named_property(env, exports, "hasBlas", hb);
  napi_create_uint32(env, 6, &v);
  napi_set_named_property(env, exports, "abiVersion", v);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
