#include "args.h"
#include <stdio.h>

int args_init(args_t *a, napi_env env, napi_callback_info info, size_t expected) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc < expected) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", expected, a->argc);
    napi_throw_type_error(env, NULL, msg);
    a->failed = 1;
    return 0;
  }
  return 1;
}

static void *typed(args_t *a, size_t i, napi_typedarray_type want, size_t *len, const char *name) {
  if (a->failed) return NULL;
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buf;
  size_t offset;
  bool is_ta = false;
  napi_is_typedarray(a->env, a->argv[i], &is_ta);
  if (!is_ta || napi_get_typedarray_info(a->env, a->argv[i], &type, &length, &data, &buf, &offset) != napi_ok ||
      type != want) {
    char msg[96];
    snprintf(msg, sizeof msg, "argument %zu must be a %s", i, name);
    napi_throw_type_error(a->env, NULL, msg);
    a->failed = 1;
    return NULL;
  }
  if (len) *len = length;
  return data;
}

float *arg_f32(args_t *a, size_t i, size_t *len) { return typed(a, i, napi_float32_array, len, "Float32Array"); }
double *arg_f64(args_t *a, size_t i, size_t *len) { return typed(a, i, napi_float64_array, len, "Float64Array"); }
int32_t *arg_i32(args_t *a, size_t i, size_t *len) { return typed(a, i, napi_int32_array, len, "Int32Array"); }

double arg_num(args_t *a, size_t i) {
  if (a->failed) return 0;
  double v;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) {
    char msg[64];
    snprintf(msg, sizeof msg, "argument %zu must be a number", i);
    napi_throw_type_error(a->env, NULL, msg);
    a->failed = 1;
    return 0;
  }
  return v;
}

int64_t arg_int(args_t *a, size_t i) { return (int64_t)arg_num(a, i); }

napi_value make_number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}
