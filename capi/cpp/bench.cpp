// The cost of a C++ query beside a Rust query of the same op, in one run (the README's
// matmul, unary exp, binary add on wormhole_b0). Rust typed (prebuilt tensors, typed params)
// and by name (OP CODE, key = value params); C++ of built parts (Tensor::build,
// OpParams::build: the same work as the Rust typed query) and by name (tensors described
// and params given as strings on every query). The four are timed in turn, round after
// round (15 rounds), so that a shared machine's load falls on all of them alike; each figure
// is the median over the rounds, and each ratio the median of the rounds' ratios. Prints a
// table and, last, one JSON line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ttnn_op_perf_models.hpp"

// Not in the header: the Rust side of this benchmark (capi/src/bench.rs).
extern "C" double ttpm_internal_bench_rust_typed(const TtpmModels* models, uint32_t bench_case,
                                                  uint64_t iterations, uint32_t by_name);

namespace {

template <class F>
double ns_per_call(uint64_t n, F&& f) {
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) f();
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  return took.count() / static_cast<double>(n);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
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
  // Queries per round: the first argument, else 50000.
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50000;
  const int rounds = 15;
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
    // Built once, as the Rust typed query's tensors and params are.
    auto op = ttpm::OpParams::build(c.op, c.params);
    if (!check || !op) {
      std::printf("%s: %s\n", c.name, (!check ? check.error() : op.error()).message.c_str());
      return 1;
    }
    std::vector<ttpm::BuiltTensor> built;
    for (const Tensor& t : c.inputs) built.push_back(t.build().value());
    auto same = models->query(*op, built);
    if (!same || same->duration_ns != check->duration_ns) {
      std::printf("%s: the built query disagrees with the query by name\n", c.name);
      return 1;
    }
    auto bench_case = static_cast<uint32_t>(i);
    std::vector<double> rust, rust_named, cpp_built, cpp, built_ratio, named_ratio;
    for (int r = -1; r < rounds; ++r) {  // round -1 warms up
      double rt = ttpm_internal_bench_rust_typed(models->c(), bench_case, n, 0);
      double rn = ttpm_internal_bench_rust_typed(models->c(), bench_case, n, 1);
      double cb = ns_per_call(n, [&] {
        auto e = models->query(*op, built);
        sink = sink + e->duration_ns;
      });
      double cn = ns_per_call(n, [&] {
        auto e = models->query(c.op, c.inputs, c.params);
        sink = sink + e->duration_ns;
      });
      if (rt <= 0 || rn <= 0) {
        std::printf("%s: the Rust side failed\n", c.name);
        return 1;
      }
      if (r < 0) continue;
      rust.push_back(rt);
      rust_named.push_back(rn);
      cpp_built.push_back(cb);
      cpp.push_back(cn);
      built_ratio.push_back(cb / rt);
      named_ratio.push_back(cn / rt);
    }
    double rt = median(rust), rn = median(rust_named), cb = median(cpp_built), cn = median(cpp);
    double br = median(built_ratio), nr = median(named_ratio);
    worst = std::max(worst, br);
    std::printf("%-16s %11.1f %11.1f %11.1f %11.1f %9.2f %9.2f\n", c.name, rt, rn, cb, cn, br, nr);
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "%s\"%s\": {\"rust_typed_ns\": %.1f, \"rust_named_ns\": %.1f, \"cpp_built_ns\": %.1f, "
                  "\"cpp_named_ns\": %.1f, \"built_over_rust_typed\": %.2f, \"named_over_rust_typed\": %.2f}",
                  i ? ", " : "", c.name, rt, rn, cb, cn, br, nr);
    json += buf;
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, "}, \"worst_built_over_rust_typed\": %.2f}", worst);
  std::printf("%s%s\n", json.c_str(), tail);
  return 0;
}
