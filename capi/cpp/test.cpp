// The C ABI and the C++ wrapper, compiled with the system compiler: one query per formula
// family, one failure per error kind (through the wrapper and through raw C calls: null
// pointers, lengths that lie, non-UTF-8 names, absurd shapes), and many threads querying one
// handle at once. Prints "N passed, M failed" and exits non-zero on any failure.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "ttnn_op_perf_models.hpp"

namespace {

int passed = 0, failed = 0;

void check(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::printf("FAILED: %s\n", what.c_str());
  }
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

/// A query that must fail with `status` and a message containing `part`.
template <class R>
void fails(const R& r, ttpm::Status status, const char* part, const std::string& what) {
  if (r.ok()) {
    check(false, what + ": answered, expected " + ttpm::to_string(status));
    return;
  }
  check(r.error().status == status, what + ": status " + ttpm::to_string(r.error().status) +
                                        ", expected " + ttpm::to_string(status));
  check(contains(r.error().message, part),
        what + ": message `" + r.error().message + "` lacks `" + part + "`");
}

/// A sane estimate: finite, positive, the duration the breakdown adds up to.
void sane(const ttpm::Result<ttpm::Estimate>& r, const std::string& model, const std::string& what) {
  if (!r) {
    check(false, what + ": " + r.error().message);
    return;
  }
  const ttpm::Estimate& e = *r;
  check(std::isfinite(e.duration_ns) && e.duration_ns > 0, what + ": duration");
  double busiest = std::max(e.compute_ns, std::max(e.dram_ns, e.noc_ns));
  check(std::fabs(e.overhead_ns + busiest - e.duration_ns) <= 1e-9 * e.duration_ns,
        what + ": duration = overhead + max(compute, dram, noc)");
  check(e.model() == model, what + ": model " + e.model() + ", expected " + model);
  if (auto band = e.band_ns()) {
    check(band->first < e.duration_ns && e.duration_ns < band->second,
          what + ": the band holds the duration");
    check(e.calibration_rows > 0 && e.p90_ape > 0, what + ": a band comes from calibration");
  }
}

ttpm::Tensor dram(std::initializer_list<uint32_t> dims, ttpm::DType d = ttpm::DType::Bfloat16) {
  return ttpm::Tensor(dims, d);
}

void families(const ttpm::Models& wh) {
  using ttpm::Param;
  ttpm::Tensor a = dram({1, 1, 128, 4096});
  ttpm::Tensor w = dram({1, 1, 4096, 4096}, ttpm::DType::Bfloat8B);
  auto mm = wh.query("matmul", {a, w}, {Param("math_fidelity", "hifi2")});
  sane(mm, "wormhole_b0/matmul@v2", "matmul");
  auto by_code = wh.query("MatmulDeviceOperation", {a, w}, {Param("math_fidelity", "hifi2")});
  check(by_code && mm && by_code->duration_ns == mm->duration_ns, "matmul by OP CODE = by name");
  auto lofi = wh.query("matmul", {a, w}, {Param("math_fidelity", "lofi")});
  auto hifi4 = wh.query("matmul", {a, w}, {Param("math_fidelity", "hifi4")});
  check(lofi && hifi4 && lofi->duration_ns <= hifi4->duration_ns, "matmul: lofi <= hifi4");
  auto v1 = wh.query("matmul", {a, w}, {Param("math_fidelity", "hifi2")}, {1});
  sane(v1, "wormhole_b0/matmul@v1", "matmul v1");
  check(v1 && !v1->band_ns() && v1->calibration_rows == 0, "matmul v1 is uncalibrated");

  ttpm::Tensor x = dram({1, 1, 1024, 1024});
  auto exp = wh.query("UnaryDeviceOperation", {x}, {Param("unary_op", "exp")});
  sane(exp, "wormhole_b0/eltwise_unary@v2", "unary exp");
  auto exp_v1 = wh.query("eltwise_unary", {x}, {Param("unary_op", "exp")}, {1});
  check(exp && exp_v1 && exp->duration_ns == exp_v1->duration_ns && exp->band_ns() &&
            !exp_v1->band_ns(),
        "unary: v2 is v1's physics, measured");
  ttpm::Tensor big = dram({1, 1, 2048, 2048});
  auto exp_big = wh.query("eltwise_unary", {big}, {Param("unary_op", "exp")});
  check(exp && exp_big && exp_big->duration_ns > exp->duration_ns, "unary: 4x the tiles take longer");

  auto add = wh.query("BinaryNgDeviceOperation", {x, x}, {Param("binary_op", "add")});
  sane(add, "wormhole_b0/eltwise_binary@v2", "binary add");

  // Data movement: DRAM interleaved to L1 height-sharded over 8x8 cores.
  ttpm::Tensor in = dram({1, 1, 2048, 256});
  ttpm::Tensor out({1, 1, 2048, 256}, ttpm::DType::Bfloat16,
                   ttpm::Memory::sharded(ttpm::Buffer::L1, ttpm::MemoryLayout::HeightSharded,
                                         ttpm::ShardSpec::grid(8, 8, 32, 256)));
  ttpm::QueryOptions with_output;
  with_output.output = &out;
  auto i2s = wh.query("InterleavedToShardedDeviceOperation", {in}, {}, with_output);
  sane(i2s, "wormhole_b0/interleaved_to_sharded@v2", "interleaved_to_sharded");

  // A smaller grid: the same op on fewer cores is not faster.
  ttpm::QueryOptions small_grid;
  small_grid.grid_x = 2;
  small_grid.grid_y = 2;
  auto exp_small = wh.query("eltwise_unary", {x}, {Param("unary_op", "exp")}, small_grid);
  check(exp && exp_small && exp_small->duration_ns >= exp->duration_ns, "unary: 2x2 grid not faster");

  // Built parts: the same answers as the query by name, and failures as it has them.
  auto mm_op = ttpm::OpParams::build("MatmulDeviceOperation", {Param("math_fidelity", "hifi2")});
  auto built_a = a.build(), built_w = w.build();
  check(mm_op && built_a && built_w, "built parts");
  if (mm_op && built_a && built_w) {
    auto b = wh.query(*mm_op, {*built_a, *built_w});
    check(b && mm && b->duration_ns == mm->duration_ns && b->model() == mm->model(),
          "built matmul = matmul by name");
    auto bv1 = wh.query(*mm_op, {*built_a, *built_w}, nullptr, {1});
    check(bv1 && v1 && bv1->duration_ns == v1->duration_ns, "built matmul v1 = by name");
    fails(wh.query(*mm_op, {*built_a}), ttpm::Status::OperandCount, "the query has 1",
          "built operand count");
  }
  fails(ttpm::OpParams::build("matmul", {Param("math_fidelity", "hifi9")}), ttpm::Status::InvalidParam,
        "expected one of", "built params: bad value");
  fails(ttpm::OpParams::build("eltwise_unary"), ttpm::Status::MissingParam, "unary_op",
        "built params: missing");
  fails(ttpm::OpParams::build("Nope"), ttpm::Status::UnknownOp, "Nope", "built params: unknown op");
  fails(ttpm::Tensor({1, 1, 1, 1, 1, 1, 1, 1, 1}).build(), ttpm::Status::InvalidTensor, "rank",
        "built tensor: rank 9");

  // Blackhole on its p150 card, matmul pinned to v1.
  ttpm::Options o;
  o.card = "p150";
  o.ops = {"matmul", "UnaryDeviceOperation"};
  o.pins = {{"matmul", 1}};
  auto bh = ttpm::Models::create("blackhole", o);
  check(bh.ok(), "blackhole p150 with ops and pins");
  if (bh) {
    check(std::string(bh->device()) == "blackhole", "device name");
    sane(bh->query("matmul", {a, w}), "blackhole/matmul@v1", "pinned matmul");
    sane(bh->query("matmul", {a, w}, {}, {2}), "blackhole/matmul@v2", "matmul v2 despite the pin");
    fails(bh->query("BinaryNgDeviceOperation", {x, x}, {Param("binary_op", "add")}),
          ttpm::Status::OpNotLoaded, "not loaded", "op not loaded");
  }
}

void error_kinds(const ttpm::Models& wh) {
  using ttpm::Param;
  using ttpm::Status;
  ttpm::Tensor x = dram({1, 1, 1024, 1024});
  std::vector<ttpm::Param> exp{Param("unary_op", "exp")};

  fails(ttpm::Models::create("wormhole_c0"), Status::UnknownDevice, "unknown device `wormhole_c0`",
        "unknown device");
  ttpm::Options p150;
  p150.card = "p150";
  fails(ttpm::Models::create("wormhole_b0", p150), Status::UnknownCard, "not a card of wormhole_b0",
        "card of another device");
  fails(wh.query("UnmodeledDeviceOperation", {x}), Status::UnknownOp, "UnmodeledDeviceOperation",
        "unknown op");
  ttpm::Options typecast;
  typecast.ops = {"typecast"};
  fails(ttpm::Models::create("grayskull", typecast), Status::NoModelForDevice,
        "no model for device grayskull", "no model for the device");
  fails(wh.query("eltwise_unary", {x}, exp, {99}), Status::NoSuchVersion, "has no version 99",
        "no such version");
  ttpm::Tensor narrow = ttpm::Tensor({32, 64}).tile(32, 16);
  fails(wh.query("matmul", {narrow, dram({64, 32})}), Status::ModeNotModeled, "not modeled",
        "mode not modeled");
  fails(wh.query("eltwise_unary", {x}), Status::MissingParam, "missing param `unary_op`",
        "missing param");
  fails(wh.query("matmul", {x, x}, {Param("fidelity", "hifi2")}), Status::UnknownParam,
        "no param `fidelity`", "unknown param");
  fails(wh.query("matmul", {x, x}, {Param("math_fidelity", "hifi9")}), Status::InvalidParam,
        "expected one of lofi, hifi2, hifi3, hifi4", "invalid enum value");
  fails(wh.query("matmul", {x, x}, {Param("math_fidelity", 2)}), Status::InvalidParam,
        "math_fidelity", "param of the wrong type");
  fails(wh.query("matmul", {x}), Status::OperandCount, "takes 2 to 3 inputs; the query has 1", "operand count");
  fails(wh.query("matmul", {dram({64, 64}), dram({32, 64})}), Status::InvalidTensor,
        "does not fit", "shapes that do not combine");
  fails(wh.query("eltwise_unary", {dram({1, 0, 32, 32})}, exp), Status::InvalidTensor,
        "dim 1 has size 0", "zero dim");
  fails(wh.query("eltwise_unary", {dram({1u << 31, 32})}, exp), Status::InvalidTensor,
        "above the limit", "absurd dim");
  fails(wh.query("eltwise_unary", {dram({1, 1, 1, 1, 1, 1, 1, 1, 32, 32})}, exp),
        Status::InvalidTensor, "rank", "rank 10");
  fails(wh.query("eltwise_unary", {dram({33, 32})}, exp), Status::InvalidTensor,
        "not a multiple of the tile", "not tile-aligned");
  ttpm::Tensor no_shard({32, 32}, ttpm::DType::Bfloat16,
                        ttpm::Memory{ttpm::Buffer::L1, ttpm::MemoryLayout::HeightSharded, {}});
  fails(wh.query("eltwise_unary", {no_shard}, exp), Status::InvalidTensor, "shard spec",
        "sharded without a shard spec");
  ttpm::QueryOptions grid;
  grid.grid_x = 9;
  grid.grid_y = 8;
  fails(wh.query("eltwise_unary", {x}, exp, grid), Status::InvalidGrid, "9x8", "grid too large");
  fails(wh.query("eltwise_unary", {dram({1u << 30, 1u << 30, 1u << 30, 32, 32})}, exp),
        Status::Overflow, "overflow", "overflow");

  ttpm::Options fallback;
  fallback.fallback = true;
  auto fb = ttpm::Models::create("wormhole_b0", fallback);
  check(fb.ok(), "models with the fallback");
  if (fb) {
    auto e = fb->query("UnmodeledDeviceOperation", {x});
    check(e && e->is_fallback() && !e->band_ns() && e->op == nullptr && e->model() == "wormhole_b0/fallback",
          "the fallback answers an unknown op");
  }

  // The handle answers the same after every failure.
  auto before = wh.query("eltwise_unary", {x}, exp);
  fails(wh.query("eltwise_unary", {x}, {Param("unary_op", "nope")}), Status::InvalidParam, "unary_op",
        "bad value");
  auto after = wh.query("eltwise_unary", {x}, exp);
  check(before && after && before->duration_ns == after->duration_ns, "unchanged after failures");
}

/// Raw C calls with malformed arguments: each refused with TTPM_INVALID_ARGUMENT (or the
/// library's status) and a message naming the field, never a crash.
void bad_c_input(const ttpm::Models& wh) {
  const TtpmModels* m = wh.c();
  uint32_t dims[4] = {1, 1, 32, 32};
  TtpmTensor t{};
  t.shape = dims;
  t.rank = 4;
  TtpmParam exp{};
  exp.key = TtpmStr{"unary_op", 8};
  exp.kind = TTPM_PARAM_ENUM;
  exp.enum_value = TtpmStr{"exp", 3};
  TtpmQuery good{};
  good.op = TtpmStr{"eltwise_unary", 13};
  good.params = &exp;
  good.n_params = 1;
  good.inputs = &t;
  good.n_inputs = 1;
  TtpmEstimate e{};
  check(ttpm_query(m, &good, &e) == TTPM_OK && e.duration_ns > 0, "raw C query answers");

  auto refused = [&](const TtpmModels* models, const TtpmQuery* q, TtpmEstimate* out,
                     TtpmStatus status, const char* part, const char* what) {
    TtpmEstimate before = e;
    TtpmStatus s = ttpm_query(models, q, out);
    check(s == status, std::string(what) + ": status " + ttpm_status_name(s));
    check(ttpm_last_error_status() == status, std::string(what) + ": last status");
    std::string msg = ttpm::detail::last_error(s).message;
    check(contains(msg, part), std::string(what) + ": message `" + msg + "` lacks `" + part + "`");
    check(out == nullptr || std::memcmp(out, &before, sizeof before) == 0,
          std::string(what) + ": the output is untouched");
  };
  refused(nullptr, &good, &e, TTPM_INVALID_ARGUMENT, "models: null pointer", "null handle");
  refused(m, nullptr, &e, TTPM_INVALID_ARGUMENT, "query: null pointer", "null query");
  refused(m, &good, nullptr, TTPM_INVALID_ARGUMENT, "out: null", "null output");

  TtpmQuery q = good;
  q.inputs = nullptr;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs: null pointer with a non-zero length",
          "null inputs with a count");
  q = good;
  q.n_inputs = SIZE_MAX;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs: length above the limit",
          "an input count that lies");
  q = good;
  q.n_params = (size_t)1 << 40;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.params: length above the limit",
          "a param count that lies");
  q = good;
  q.op = TtpmStr{"eltwise_unary", (size_t)-1};
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.op: length above the limit",
          "a name length that lies");
  q = good;
  q.op = TtpmStr{nullptr, 5};
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.op: null pointer", "a null name");
  q = good;
  q.op = TtpmStr{"\xff\xfematmul", 8};
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.op: not UTF-8", "a non-UTF-8 op name");
  TtpmParam bad_key = exp;
  bad_key.key = TtpmStr{"unary\xc3", 6};
  q = good;
  q.params = &bad_key;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.params[0]: not UTF-8", "a non-UTF-8 key");
  TtpmParam bad_kind = exp;
  bad_kind.kind = 77;
  q.params = &bad_kind;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.params[0].kind", "a param kind out of range");

  TtpmTensor bt = t;
  q = good;
  q.inputs = &bt;
  bt.rank = 1000;
  refused(m, &q, &e, TTPM_INVALID_TENSOR, "query.inputs[0].rank: outside 1..=8 (got 1000)",
          "a rank that lies");
  bt = t;
  bt.shape = nullptr;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs[0].shape: null pointer", "null shape");
  bt = t;
  bt.dtype = 42;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs[0].dtype", "a dtype out of range");
  bt = t;
  bt.memory_layout = 9;
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs[0].memory_layout", "a memory layout out of range");
  bt = t;
  uint32_t huge[4] = {0xffffffffu, 0xffffffffu, 32, 32};
  bt.shape = huge;
  refused(m, &q, &e, TTPM_INVALID_TENSOR, "above the limit", "absurd dims");
  bt = t;
  bt.tile_height = 64;
  refused(m, &q, &e, TTPM_INVALID_TENSOR, "tile 64x32", "a tile too tall");
  bt = t;
  TtpmShardSpec outside{};
  outside.end_x = 200;
  outside.end_y = 200;
  outside.height = 32;
  outside.width = 32;
  bt.buffer = TTPM_BUFFER_L1;
  bt.memory_layout = TTPM_MEMORY_HEIGHT_SHARDED;
  bt.shard = &outside;
  refused(m, &q, &e, TTPM_INVALID_TENSOR, "outside the device's worker grid", "a shard grid off the die");
  // A misaligned tensor pointer.
  alignas(TtpmTensor) unsigned char raw[sizeof(TtpmTensor) + 1];
  std::memcpy(raw + 1, &t, sizeof t);
  q = good;
  q.inputs = reinterpret_cast<const TtpmTensor*>(raw + 1);
  refused(m, &q, &e, TTPM_INVALID_ARGUMENT, "query.inputs: misaligned pointer", "a misaligned array");

  // A built query whose op params were never built is refused, not read.
  TtpmOpParams unbuilt{};
  TtpmBuiltTensor bt_built;
  check(ttpm_tensor_build(&t, &bt_built) == TTPM_OK, "tensor_build");
  TtpmBuiltQuery bq{};
  bq.op_params = &unbuilt;
  bq.inputs = &bt_built;
  bq.n_inputs = 1;
  check(ttpm_query_built(m, &bq, &e) == TTPM_INVALID_ARGUMENT &&
            contains(ttpm::detail::last_error(TTPM_INVALID_ARGUMENT).message, "ttpm_op_params_build"),
        "unbuilt op params refused");
  check(ttpm_tensor_build(nullptr, &bt_built) == TTPM_INVALID_ARGUMENT, "tensor_build of null");

  // Creation: null out, lying lengths, unknown names.
  TtpmModels* out = nullptr;
  check(ttpm_models_new(TtpmStr{"wormhole_b0", 11}, nullptr, nullptr) == TTPM_INVALID_ARGUMENT,
        "models_new with a null out");
  TtpmModelsOptions o{};
  o.n_ops = 3;
  check(ttpm_models_new(TtpmStr{"wormhole_b0", 11}, &o, &out) == TTPM_INVALID_ARGUMENT && !out,
        "models_new with ops null and a count");
  check(ttpm_models_new(TtpmStr{"\x80", 1}, nullptr, &out) == TTPM_INVALID_ARGUMENT && !out,
        "models_new with a non-UTF-8 device");
  ttpm_models_free(nullptr);  // ignored

  // The message buffer: sizes, truncation at a character boundary, a NUL always.
  q = good;
  q.op = TtpmStr{"Ünknöwn", std::strlen("Ünknöwn")};
  check(ttpm_query(m, &q, &e) == TTPM_UNKNOWN_OP, "unknown op with non-ASCII name");
  size_t n = ttpm_last_error_message(nullptr, 0);
  std::vector<char> full(n + 1);
  check(ttpm_last_error_message(full.data(), full.size()) == n && full[n] == '\0', "full message");
  char small[12];
  std::memset(small, 'x', sizeof small);
  check(ttpm_last_error_message(small, sizeof small) == n, "cut message: full length returned");
  check(std::strlen(small) < sizeof small && std::strncmp(small, full.data(), std::strlen(small)) == 0,
        "cut message: a NUL-terminated prefix");
  check(std::string(ttpm_status_name(12345)) == "TTPM_UNKNOWN_STATUS", "status name of nonsense");
}

/// Many threads query one handle at once, each with its own queries; every answer is the one
/// a single thread gets.
void threads(const ttpm::Models& wh) {
  using ttpm::Param;
  ttpm::Tensor a = dram({1, 1, 256, 1024});
  ttpm::Tensor b = dram({1, 1, 1024, 512}, ttpm::DType::Bfloat8B);
  ttpm::Tensor x = dram({1, 1, 512, 512});
  auto mm = wh.query("matmul", {a, b});
  auto un = wh.query("eltwise_unary", {x}, {Param("unary_op", "gelu")});
  check(mm && un, "thread references");
  if (!mm || !un) return;
  std::atomic<int> wrong{0}, answered{0};
  std::vector<std::thread> pool;
  unsigned n = std::max(8u, std::thread::hardware_concurrency() * 4);
  for (unsigned t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        if ((i + t) % 3 == 0) {
          // A failing query interleaved: its error stays on its own thread.
          auto bad = wh.query("matmul", {a});
          if (bad.ok() || bad.error().status != ttpm::Status::OperandCount) ++wrong;
        } else if ((i + t) % 3 == 1) {
          auto r = wh.query("matmul", {a, b});
          if (!r || r->duration_ns != mm->duration_ns) ++wrong;
        } else {
          auto r = wh.query("eltwise_unary", {x}, {Param("unary_op", "gelu")});
          if (!r || r->duration_ns != un->duration_ns) ++wrong;
        }
        ++answered;
      }
    });
  }
  for (auto& th : pool) th.join();
  check(wrong == 0, std::to_string(wrong.load()) + " wrong answers from " + std::to_string(n) + " threads");
  check(answered == static_cast<int>(n) * 20000, "every thread answered");
}

}  // namespace

int main() {
  auto wh = ttpm::Models::create("wormhole_b0");
  if (!wh) {
    std::printf("cannot create models: %s\n", wh.error().message.c_str());
    return 1;
  }
  families(*wh);
  error_kinds(*wh);
  bad_c_input(*wh);
  threads(*wh);
  // Moving a handle keeps it working.
  ttpm::Models moved = std::move(*wh);
  check(std::string(moved.device()) == "wormhole_b0", "moved handle");
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
