#ifndef VITRINE_KERNELS_H
#define VITRINE_KERNELS_H
#include <node_api.h>
napi_value js_als_cg_sweep(napi_env env, napi_callback_info info);
napi_value js_gram(napi_env env, napi_callback_info info);
napi_value js_bpr_sgd_epoch(napi_env env, napi_callback_info info);
napi_value js_vbpr_sgd_pass(napi_env env, napi_callback_info info);
napi_value js_score_rows(napi_env env, napi_callback_info info);
napi_value js_topk_rows(napi_env env, napi_callback_info info);
napi_value js_pack_panels(napi_env env, napi_callback_info info);
napi_value js_als_exact_sweep(napi_env env, napi_callback_info info);
napi_value js_csr_mat_vec(napi_env env, napi_callback_info info);
#ifdef VITRINE_HAS_BLAS
/* tensor kernels over a CBLAS (tensor_api.c), for the tfjs wasm backend's heap */
napi_value js_tensor_matmul(napi_env env, napi_callback_info info);
napi_value js_conv2d(napi_env env, napi_callback_info info);
napi_value js_conv2d_backprop_input(napi_env env, napi_callback_info info);
napi_value js_conv2d_backprop_filter(napi_env env, napi_callback_info info);
napi_value js_tensor_sum(napi_env env, napi_callback_info info);
napi_value js_tensor_leaky_relu(napi_env env, napi_callback_info info);
napi_value js_tensor_adam(napi_env env, napi_callback_info info);
napi_value js_tensor_leaky_relu_grad(napi_env env, napi_callback_info info);
napi_value js_set_blas_threads(napi_env env, napi_callback_info info);
napi_value js_blas_info(napi_env env, napi_callback_info info);
#endif
#endif
