/* The C header from C (C99): create the models, query the README's matmul by OP CODE, build
 * its parts once and query them, and read a failure's status and message. Exits non-zero
 * when an answer is not what the C++ test and the Rust library agree on. */
#include <stdio.h>
#include <string.h>

#include "ttnn_op_perf_models.h"

static TtpmStr str(const char* s) {
  TtpmStr t;
  t.ptr = s;
  t.len = strlen(s);
  return t;
}

int main(void) {
  TtpmModels* models = NULL;
  TtpmStatus s = ttpm_models_new(str("wormhole_b0"), NULL, &models);
  if (s != TTPM_OK) {
    printf("models: %s\n", ttpm_status_name(s));
    return 1;
  }
  uint32_t a_dims[4] = {1, 1, 128, 4096}, w_dims[4] = {1, 1, 4096, 4096};
  TtpmTensor inputs[2];
  memset(inputs, 0, sizeof inputs); /* zeroed: tiled bfloat16, interleaved in DRAM */
  inputs[0].shape = a_dims;
  inputs[0].rank = 4;
  inputs[1].shape = w_dims;
  inputs[1].rank = 4;
  inputs[1].dtype = TTPM_DTYPE_BFLOAT8_B;
  TtpmParam hifi2;
  memset(&hifi2, 0, sizeof hifi2);
  hifi2.key = str("math_fidelity");
  hifi2.kind = TTPM_PARAM_ENUM;
  hifi2.enum_value = str("hifi2");
  TtpmQuery q;
  memset(&q, 0, sizeof q);
  q.op = str("MatmulDeviceOperation");
  q.params = &hifi2;
  q.n_params = 1;
  q.inputs = inputs;
  q.n_inputs = 2;

  TtpmEstimate e;
  s = ttpm_query(models, &q, &e);
  if (s != TTPM_OK) {
    printf("query: %s\n", ttpm_status_name(s));
    return 1;
  }
  double low = 0, high = 0;
  int band = ttpm_estimate_band(&e, &low, &high);
  printf("%.0f ns, %s/%s@v%u, bound %u, 90%% within %.0f..%.0f ns\n", e.duration_ns, e.device, e.op,
         (unsigned)e.version, (unsigned)e.bound, low, high);
  int ok = e.duration_ns > 0 && strcmp(e.op, "matmul") == 0 && e.version == 2 && band == 1 &&
           low < e.duration_ns && e.duration_ns < high;

  /* The same query of built parts. */
  TtpmOpParams op;
  TtpmBuiltTensor built[2];
  ok = ok && ttpm_op_params_build(q.op, &hifi2, 1, &op) == TTPM_OK &&
       ttpm_tensor_build(&inputs[0], &built[0]) == TTPM_OK &&
       ttpm_tensor_build(&inputs[1], &built[1]) == TTPM_OK;
  TtpmBuiltQuery bq;
  memset(&bq, 0, sizeof bq);
  bq.op_params = &op;
  bq.inputs = built;
  bq.n_inputs = 2;
  TtpmEstimate be;
  ok = ok && ttpm_query_built(models, &bq, &be) == TTPM_OK && be.duration_ns == e.duration_ns;

  /* A failure: the status names its kind, the message is the library's. */
  hifi2.enum_value = str("hifi9");
  s = ttpm_query(models, &q, &e);
  char message[256];
  size_t n = ttpm_last_error_message(message, sizeof message);
  printf("%s: %s\n", ttpm_status_name(s), message);
  ok = ok && s == TTPM_INVALID_PARAM && n < sizeof message &&
       strcmp(message, "matmul: param `math_fidelity`: expected one of lofi, hifi2, hifi3, hifi4") == 0;

  ttpm_models_free(models);
  printf("%s\n", ok ? "1 passed, 0 failed" : "0 passed, 1 failed");
  return ok ? 0 : 1;
}
