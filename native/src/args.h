/* Argument helpers for the N-API bindings: typed arrays and numbers, with a
 * thrown JS TypeError (and a NULL/0 return) on a wrong argument. */
#ifndef VITRINE_ARGS_H
#define VITRINE_ARGS_H
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_ARGS 16

typedef struct {
  napi_env env;
  size_t argc;
  napi_value argv[MAX_ARGS];
  int failed;
} args_t;

int args_init(args_t *a, napi_env env, napi_callback_info info, size_t expected);
float *arg_f32(args_t *a, size_t i, size_t *len);
double *arg_f64(args_t *a, size_t i, size_t *len);
int32_t *arg_i32(args_t *a, size_t i, size_t *len);
double arg_num(args_t *a, size_t i);
int64_t arg_int(args_t *a, size_t i);
napi_value make_number(napi_env env, double v);
#endif
