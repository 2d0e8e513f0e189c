// The cost of a C++ query beside a Rust query of the same op, in one run: the median of 7
// rounds each, per case (the README's matmul, unary exp, binary add on wormhole_b0). Rust
// typed (prebuilt tensors, typed params) and by name (OP CODE, key = value params); C++ of
// built parts (Tensor::build, OpParams::build: the same work as the Rust typed query) and by
// name (tensors described and params given as strings on every query). Prints a table and,
// last, one JSON line with the ratios.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ttnn_op_perf_models.hpp"

// Not in the header: the Rust side of this benchmark (capi/src/lib.rs).
extern "C" double ttpm_internal_bench_rust_typed(const TtpmModels* models, uint32_t bench_case,
                                                  uint64_t iterations, uint32_t by_name);

namespace {

template <class F>
double ns_per_call(uint64_t n, F&& f) {
  for (uint64_t i = 0; i < n / 10; ++i) f();
  std::vector<double> rounds;
  for (int r = 0; r < 7; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < n; ++i) f();
    std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    rounds.push_back(took.count() / static_cast<double>(n));
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[3];
}

}  // namespace

int main(int argc, char** argv) {
  auto models = ttpm::Models::create("wormhole_b0");
  if (!models) {
    std::printf("%s\n", models.error().message.c_str());
    return 1;
  }
  using ttpm::Param;
  using ttpm::Tensor;
  // Queries per round: the first argument, else 200000.
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  Tensor a({1, 1, 128, 4096});
  Tensor w({1, 1, 4096, 4096}, ttpm::DType::Bfloat8B);
  Tensor x({1, 1, 1024, 1024});
  struct Case {
    const char* name;
    const char* op;
    std::vector<Tensor> inputs;
    std::vector<Param> params;
  };
  std::vector<Case> cases{
      {"matmul", "MatmulDeviceOperation", {a, w}, {Param("math_fidelity", "hifi2")}},
      {"eltwise_unary", "UnaryDeviceOperation", {x}, {Param("unary_op", "exp")}},
      {"eltwise_binary", "BinaryNgDeviceOperation", {x, x}, {Param("binary_op", "add")}},
  };
  std::printf("%-16s %11s %11s %11s %11s %9s %9s\n", "case (ns/query)", "rust typed",
              "rust named", "c++ built", "c++ named", "built/rt", "named/rt");
  std::string json = "{\"device\": \"wormhole_b0\", \"cases\": {";
  double worst = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    volatile double sink = 0;
    auto check = models->query(c.op, c.inputs, c.params);
    if (!check) {
      std::printf("%s: %s\n", c.name, check.error().message.c_str());
      return 1;
    }
    double rust = ttpm_internal_bench_rust_typed(models->c(), static_cast<uint32_t>(i), n, 0);
    double rust_named = ttpm_internal_bench_rust_typed(models->c(), static_cast<uint32_t>(i), n, 1);
    // Built once, as the Rust typed query's tensors and params are.
    auto op = ttpm::OpParams::build(c.op, c.params);
    std::vector<ttpm::BuiltTensor> built;
    for (const Tensor& t : c.inputs) built.push_back(t.build().value());
    if (!op) {
      std::printf("%s: %s\n", c.name, op.error().message.c_str());
      return 1;
    }
    auto same = models->query(*op, built);
    if (!same || same->duration_ns != check->duration_ns) {
      std::printf("%s: the built query disagrees\n", c.name);
      return 1;
    }
    double cpp_built = ns_per_call(n, [&] {
      auto r = models->query(*op, built);
      sink = sink + r->duration_ns;
    });
    double cpp = ns_per_call(n, [&] {
      auto r = models->query(c.op, c.inputs, c.params);
      sink = sink + r->duration_ns;
    });
    if (rust <= 0 || rust_named <= 0) {
      std::printf("%s: the Rust side failed\n", c.name);
      return 1;
    }
    double ratio = cpp_built / rust, named_ratio = cpp / rust;
    worst = std::max(worst, ratio);
    std::printf("%-16s %11.1f %11.1f %11.1f %11.1f %9.2f %9.2f\n", c.name, rust, rust_named,
                cpp_built, cpp, ratio, named_ratio);
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "%s\"%s\": {\"rust_typed_ns\": %.1f, \"rust_named_ns\": %.1f, \"cpp_built_ns\": %.1f, "
                  "\"cpp_named_ns\": %.1f, \"built_over_rust_typed\": %.2f, \"named_over_rust_typed\": %.2f}",
                  i ? ", " : "", c.name, rust, rust_named, cpp_built, cpp, ratio, named_ratio);
    json += buf;
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, "}, \"worst_built_over_rust_typed\": %.2f}", worst);
  std::printf("%s%s\n", json.c_str(), tail);
  return 0;
}
