#ifndef VITRINE_KERNELS_H
#define VITRINE_KERNELS_H
#include <node_api.h>
napi_value js_als_cg_sweep(napi_env env, napi_callback_info info);
napi_value js_gram(napi_env env, napi_callback_info info);
napi_value js_bpr_sgd_epoch(napi_env env, napi_callback_info info);
napi_value js_score_rows(napi_env env, napi_callback_info info);
napi_value js_topk_rows(napi_env env, napi_callback_info info);
napi_value js_pack_panels(napi_env env, napi_callback_info info);
napi_value js_als_exact_sweep(napi_env env, napi_callback_info info);
#endif
