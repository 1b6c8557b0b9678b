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
  EXPORT("scoreRows", js_score_rows);
  EXPORT("topKRows", js_topk_rows);
  EXPORT("packPanels", js_pack_panels);
  EXPORT("alsExactSweep", js_als_exact_sweep);
  napi_value v;
  napi_create_uint32(env, 3, &v);
  napi_set_named_property(env, exports, "abiVersion", v);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
