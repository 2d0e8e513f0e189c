// ttnn-op-perf-models: a header-only C++17 wrapper over the C ABI (ttnn_op_perf_models.h).
//
// No exceptions: every call that can fail returns a Result, which holds the value or an Error
// (the status and the library's message).
//
// One file over 500 lines by design: a header-only wrapper is included whole, and half of it
// is the documentation of each call.
//
//   auto models = ttpm::Models::create("wormhole_b0");
//   if (!models) { std::cerr << models.error().message << "\n"; return 1; }
//   ttpm::Tensor a({1, 1, 128, 4096});
//   ttpm::Tensor w({1, 1, 4096, 4096}, ttpm::DType::Bfloat8B);
//   auto e = models->query("matmul", {a, w}, {{"math_fidelity", "hifi2"}});
//   if (e) std::cout << e->duration_ns << " ns, " << e->model() << "\n";
//
// A Models is movable, not copyable, and may be queried from many threads at once. A query
// allocates nothing on success for up to 8 inputs and 16 params.
#ifndef TTNN_OP_PERF_MODELS_HPP
#define TTNN_OP_PERF_MODELS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ttnn_op_perf_models.h"

namespace ttpm {

/// The status of a failed call: one per kind of failure (TTPM_* in the C header).
enum class Status : TtpmStatus {
  Ok = TTPM_OK,
  InvalidArgument = TTPM_INVALID_ARGUMENT,
  UnknownDevice = TTPM_UNKNOWN_DEVICE,
  UnknownCard = TTPM_UNKNOWN_CARD,
  UnknownOp = TTPM_UNKNOWN_OP,
  OpNotLoaded = TTPM_OP_NOT_LOADED,
  NoModelForDevice = TTPM_NO_MODEL_FOR_DEVICE,
  NoSuchVersion = TTPM_NO_SUCH_VERSION,
  ModeNotModeled = TTPM_MODE_NOT_MODELED,
  MissingParam = TTPM_MISSING_PARAM,
  UnknownParam = TTPM_UNKNOWN_PARAM,
  InvalidParam = TTPM_INVALID_PARAM,
  OperandCount = TTPM_OPERAND_COUNT,
  InvalidTensor = TTPM_INVALID_TENSOR,
  InvalidGrid = TTPM_INVALID_GRID,
  Overflow = TTPM_OVERFLOW,
  OtherError = TTPM_OTHER_ERROR,
  InternalError = TTPM_INTERNAL_ERROR,
};

enum class DType : TtpmDType {
  Bfloat16 = TTPM_DTYPE_BFLOAT16,
  Float32 = TTPM_DTYPE_FLOAT32,
  Bfloat8B = TTPM_DTYPE_BFLOAT8_B,
  Bfloat4B = TTPM_DTYPE_BFLOAT4_B,
  Uint8 = TTPM_DTYPE_UINT8,
  Uint16 = TTPM_DTYPE_UINT16,
  Uint32 = TTPM_DTYPE_UINT32,
  Int32 = TTPM_DTYPE_INT32,
};

enum class Buffer : TtpmBufferType { Dram = TTPM_BUFFER_DRAM, L1 = TTPM_BUFFER_L1 };

enum class MemoryLayout : TtpmMemoryLayout {
  Interleaved = TTPM_MEMORY_INTERLEAVED,
  HeightSharded = TTPM_MEMORY_HEIGHT_SHARDED,
  WidthSharded = TTPM_MEMORY_WIDTH_SHARDED,
  BlockSharded = TTPM_MEMORY_BLOCK_SHARDED,
  NdSharded = TTPM_MEMORY_ND_SHARDED,
};

enum class ShardOrientation : TtpmShardOrientation {
  RowMajor = TTPM_SHARD_ROW_MAJOR,
  ColMajor = TTPM_SHARD_COL_MAJOR,
};

enum class Bound : TtpmBound {
  Overhead = TTPM_BOUND_OVERHEAD,
  Compute = TTPM_BOUND_COMPUTE,
  Dram = TTPM_BOUND_DRAM,
  Noc = TTPM_BOUND_NOC,
};

inline const char* to_string(Bound b) noexcept {
  switch (b) {
    case Bound::Overhead: return "overhead";
    case Bound::Compute: return "compute";
    case Bound::Dram: return "dram";
    case Bound::Noc: return "noc";
  }
  return "unknown";
}

/// The name of a status (`"TTPM_INVALID_TENSOR"`).
inline const char* to_string(Status s) noexcept {
  return ttpm_status_name(static_cast<TtpmStatus>(s));
}

/// A failure: its kind and the library's message.
struct Error {
  Status status;
  std::string message;
};

/// A value or the Error of the call that should have made it.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  /// The value; only when ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  /// The error; only when !ok().
  const Error& error() const& { return std::get<1>(v_); }
  /// The status: Status::Ok when ok().
  Status status() const noexcept { return ok() ? Status::Ok : std::get<1>(v_).status; }

 private:
  std::variant<T, Error> v_;
};

namespace detail {
/// The message and status of the last failure on this thread.
inline Error last_error(TtpmStatus status) {
  std::string message(64, '\0');
  size_t n = ttpm_last_error_message(message.data(), message.size() + 1);
  if (n > message.size()) {
    message.resize(n);
    n = ttpm_last_error_message(message.data(), message.size() + 1);
  }
  message.resize(n);
  return Error{static_cast<Status>(status), std::move(message)};
}

inline TtpmStr str(std::string_view s) noexcept { return TtpmStr{s.data(), s.size()}; }
}  // namespace detail

/// A view of contiguous elements: an initializer list, a vector, an array or a pointer and
/// a length. It does not own them.
template <class T>
class Span {
 public:
  Span() noexcept = default;
  Span(const T* data, size_t size) noexcept : data_(data), size_(size) {}
// A Span made from a braced list is a parameter: the list lives until the call returns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  Span(std::initializer_list<T> l) noexcept : data_(l.begin()), size_(l.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  Span(const std::vector<T>& v) noexcept : data_(v.data()), size_(v.size()) {}
  template <size_t N>
  Span(const std::array<T, N>& a) noexcept : data_(a.data()), size_(N) {}
  template <size_t N>
  Span(const T (&a)[N]) noexcept : data_(a), size_(N) {}
  const T* data() const noexcept { return data_; }
  size_t size() const noexcept { return size_; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

/// A shard spec: shards of height x width elements on the inclusive rectangle of cores from
/// (start_x, start_y) to (end_x, end_y); cores 0 = every core of it.
struct ShardSpec {
  uint8_t start_x = 0, start_y = 0, end_x = 0, end_y = 0;
  uint32_t height = 0, width = 0;
  ShardOrientation orientation = ShardOrientation::RowMajor;
  uint32_t cores = 0;

  /// Shards on a grid of cols x rows cores from core (0, 0).
  static ShardSpec grid(uint8_t cols, uint8_t rows, uint32_t height, uint32_t width,
                        ShardOrientation o = ShardOrientation::RowMajor) noexcept {
    ShardSpec s;
    s.end_x = static_cast<uint8_t>(cols - 1);
    s.end_y = static_cast<uint8_t>(rows - 1);
    s.height = height;
    s.width = width;
    s.orientation = o;
    return s;
  }
};

/// Where a tensor lives and how it is spread.
struct Memory {
  Buffer buffer = Buffer::Dram;
  MemoryLayout layout = MemoryLayout::Interleaved;
  std::optional<ShardSpec> shard;

  static Memory dram() noexcept { return Memory{}; }
  static Memory l1() noexcept { return Memory{Buffer::L1, MemoryLayout::Interleaved, {}}; }
  static Memory sharded(Buffer b, MemoryLayout l, ShardSpec s) noexcept { return Memory{b, l, s}; }
};

class BuiltTensor;

/// A tensor operand: shape (padded, and logical when it differs), dtype, layout, memory.
/// Owns its dims; the library checks them when queried.
class Tensor {
 public:
  Tensor(std::initializer_list<uint32_t> shape, DType dtype = DType::Bfloat16,
         Memory memory = Memory::dram()) noexcept
      : Tensor(shape.begin(), shape.size(), dtype, memory) {}
  /// From any dims: more than TTPM_MAX_RANK of them are refused when queried.
  Tensor(const uint32_t* dims, size_t rank, DType dtype = DType::Bfloat16,
         const Memory& memory = Memory::dram()) noexcept
      : rank_(rank),
        dtype_(dtype),
        buffer_(memory.buffer),
        memory_layout_(memory.layout),
        has_shard_(memory.shard.has_value()) {
    for (size_t i = 0; i < rank && i < shape_.size(); ++i) shape_[i] = dims[i];
    if (memory.shard) {
      const ShardSpec& s = *memory.shard;
      shard_ = TtpmShardSpec{s.start_x, s.start_y, s.end_x, s.end_y, s.cores, s.height,
                             s.width, static_cast<TtpmShardOrientation>(s.orientation)};
    }
  }
  Tensor(const std::vector<uint32_t>& dims, DType dtype = DType::Bfloat16,
         Memory memory = Memory::dram()) noexcept
      : Tensor(dims.data(), dims.size(), dtype, memory) {}

  /// Logical dims, when the shape is padded (same rank).
  Tensor& logical(std::initializer_list<uint32_t> dims) noexcept {
    has_logical_ = true;
    size_t i = 0;
    for (uint32_t d : dims) {
      if (i < logical_.size()) logical_[i] = d;
      ++i;
    }
    // A rank that disagrees is the library's to report: pad with 0, which it refuses.
    for (; i < logical_.size(); ++i) logical_[i] = 0;
    return *this;
  }
  /// Tiles of height x width (32x32 is the default).
  Tensor& tile(uint16_t height, uint16_t width) noexcept {
    row_major_ = false;
    tile_h_ = height;
    tile_w_ = width;
    return *this;
  }
  Tensor& row_major() noexcept {
    row_major_ = true;
    return *this;
  }

  /// Checked and converted once, for queries of built parts.
  Result<BuiltTensor> build() const;

  /// The C description, pointing into this Tensor: valid while it lives unmoved.
  TtpmTensor c() const noexcept {
    TtpmTensor t{};
    t.shape = shape_.data();
    t.rank = rank_;
    t.logical_shape = has_logical_ ? logical_.data() : nullptr;
    t.dtype = static_cast<TtpmDType>(dtype_);
    t.layout = row_major_ ? TTPM_LAYOUT_ROW_MAJOR : TTPM_LAYOUT_TILE;
    t.tile_height = tile_h_;
    t.tile_width = tile_w_;
    t.buffer = static_cast<TtpmBufferType>(buffer_);
    t.memory_layout = static_cast<TtpmMemoryLayout>(memory_layout_);
    t.shard = has_shard_ ? &shard_ : nullptr;
    return t;
  }

 private:
  std::array<uint32_t, TTPM_MAX_RANK> shape_{};
  std::array<uint32_t, TTPM_MAX_RANK> logical_{};
  size_t rank_ = 0;
  bool has_logical_ = false;
  DType dtype_;
  bool row_major_ = false;
  uint16_t tile_h_ = 32, tile_w_ = 32;
  Buffer buffer_;
  MemoryLayout memory_layout_;
  bool has_shard_;
  TtpmShardSpec shard_{};
};

/// One `key = value` op param. The key and an enum value are views: the strings must
/// outlive the query.
class Param {
 public:
  Param(std::string_view key, std::string_view value) noexcept : c_{} {
    c_.key = detail::str(key);
    c_.kind = TTPM_PARAM_ENUM;
    c_.enum_value = detail::str(value);
  }
  Param(std::string_view key, const char* value) noexcept : Param(key, std::string_view(value)) {}
  Param(std::string_view key, int64_t value) noexcept : c_{} {
    c_.key = detail::str(key);
    c_.kind = TTPM_PARAM_INT;
    c_.int_value = value;
  }
  Param(std::string_view key, int value) noexcept : Param(key, static_cast<int64_t>(value)) {}
  Param(std::string_view key, double value) noexcept : c_{} {
    c_.key = detail::str(key);
    c_.kind = TTPM_PARAM_FLOAT;
    c_.float_value = value;
  }
  Param(std::string_view key, bool value) noexcept : c_{} {
    c_.key = detail::str(key);
    c_.kind = TTPM_PARAM_BOOL;
    c_.int_value = value ? 1 : 0;
  }
  const TtpmParam& c() const noexcept { return c_; }

 private:
  TtpmParam c_;
};

/// A tensor built once (Tensor::build) for any number of queries: the fastest way to pass
/// a tensor, as the Rust API's prebuilt TensorParams.
class BuiltTensor {
 public:
  const TtpmBuiltTensor& c() const noexcept { return c_; }

 private:
  friend class Tensor;
  BuiltTensor() noexcept = default;
  TtpmBuiltTensor c_;
};

/// An op and its params checked once against the op's schema (OpParams::build), for any
/// number of queries: nothing is looked up by name when querying with it.
class OpParams {
 public:
  static Result<OpParams> build(std::string_view op, Span<Param> params = {}) {
    std::vector<TtpmParam> c;
    c.reserve(params.size());
    for (const Param& p : params) c.push_back(p.c());
    OpParams out;
    TtpmStatus s = ttpm_op_params_build(detail::str(op), c.data(), c.size(), &out.c_);
    if (s != TTPM_OK) return detail::last_error(s);
    return out;
  }
  const TtpmOpParams& c() const noexcept { return c_; }

 private:
  OpParams() noexcept = default;
  TtpmOpParams c_;
};

inline Result<BuiltTensor> Tensor::build() const {
  BuiltTensor out;
  TtpmTensor t = c();
  TtpmStatus s = ttpm_tensor_build(&t, &out.c_);
  if (s != TTPM_OK) return detail::last_error(s);
  return out;
}

/// Which model version answers (0: the pin for the op, else the latest), the output tensor
/// and the core grid (0 x 0: the card's compute grid).
struct QueryOptions {
  uint16_t version = 0;
  const Tensor* output = nullptr;
  uint8_t grid_x = 0, grid_y = 0;
};

/// A predicted device duration: the C struct (duration_ns, the breakdown overhead_ns,
/// compute_ns, dram_ns and noc_ns, device, op, version, fallback, median_ape, p90_ape,
/// calibration_rows) with typed accessors.
struct Estimate : TtpmEstimate {
  Estimate(const TtpmEstimate& e) noexcept : TtpmEstimate(e) {}

  /// The dominant term.
  Bound bound_kind() const noexcept { return static_cast<Bound>(bound); }
  bool is_fallback() const noexcept { return fallback != 0; }
  /// The range 90% of the version's cross-validated measurements fell in, ns; none when
  /// uncalibrated.
  std::optional<std::pair<double, double>> band_ns() const noexcept {
    double low = 0, high = 0;
    if (!ttpm_estimate_band(this, &low, &high)) return std::nullopt;
    return std::make_pair(low, high);
  }
  /// `device/op@vN`, or `device/fallback` for the generic fallback.
  std::string model() const {
    std::string m(device);
    if (fallback) return m + "/fallback";
    return m + "/" + op + "@v" + std::to_string(version);
  }
};

/// A version pin for Models::create.
struct Pin {
  std::string_view op;
  uint16_t version;
};

/// Choices for Models::create: card ("" = the device's default), ops to load (empty = all),
/// version pins, and the generic fallback.
struct Options {
  std::string_view card;
  std::vector<std::string_view> ops;
  std::vector<Pin> pins;
  bool fallback = false;
};

/// The models of one device and card. Movable, not copyable; safe to query from many
/// threads at once.
class Models {
 public:
  /// The models of `device` ("wormhole_b0", "blackhole", "grayskull", or an alias).
  static Result<Models> create(std::string_view device, const Options& options = {}) {
    std::vector<TtpmStr> ops;
    for (std::string_view op : options.ops) ops.push_back(detail::str(op));
    std::vector<TtpmPin> pins;
    for (const Pin& p : options.pins) pins.push_back(TtpmPin{detail::str(p.op), p.version});
    TtpmModelsOptions o{};
    o.card = detail::str(options.card);
    o.ops = ops.data();
    o.n_ops = ops.size();
    o.pins = pins.data();
    o.n_pins = pins.size();
    o.fallback = options.fallback ? 1 : 0;
    TtpmModels* raw = nullptr;
    TtpmStatus s = ttpm_models_new(detail::str(device), &o, &raw);
    if (s != TTPM_OK) return detail::last_error(s);
    return Models(raw);
  }

  /// The device's name.
  const char* device() const noexcept { return ttpm_models_device(handle_.get()); }

  /// The C handle, for calls the wrapper does not cover.
  const TtpmModels* c() const noexcept { return handle_.get(); }

  /// Answers one query: the op by name or ttnn OP CODE.
  Result<Estimate> query(std::string_view op, Span<Tensor> inputs, Span<Param> params = {},
                         const QueryOptions& options = {}) const {
    constexpr size_t kInputs = 8, kParams = 16;
    std::array<TtpmTensor, kInputs> in_stack;
    std::array<TtpmParam, kParams> par_stack;
    std::vector<TtpmTensor> in_heap;
    std::vector<TtpmParam> par_heap;
    TtpmTensor* in = in_stack.data();
    if (inputs.size() > kInputs) {
      in_heap.resize(inputs.size());
      in = in_heap.data();
    }
    for (size_t i = 0; i < inputs.size(); ++i) in[i] = inputs.data()[i].c();
    TtpmParam* par = par_stack.data();
    if (params.size() > kParams) {
      par_heap.resize(params.size());
      par = par_heap.data();
    }
    for (size_t i = 0; i < params.size(); ++i) par[i] = params.data()[i].c();
    TtpmTensor out_tensor{};
    TtpmQuery q{};
    q.op = detail::str(op);
    q.version = options.version;
    q.params = par;
    q.n_params = params.size();
    q.inputs = in;
    q.n_inputs = inputs.size();
    if (options.output) {
      out_tensor = options.output->c();
      q.output = &out_tensor;
    }
    q.grid_x = options.grid_x;
    q.grid_y = options.grid_y;
    return query(q);
  }

  /// Answers one query of built parts: the op and params, then the tensors; options.output
  /// is ignored here, pass `output` instead.
  Result<Estimate> query(const OpParams& op, Span<BuiltTensor> inputs,
                         const BuiltTensor* output = nullptr,
                         const QueryOptions& options = {}) const {
    static_assert(sizeof(BuiltTensor) == sizeof(TtpmBuiltTensor) &&
                      std::is_standard_layout<BuiltTensor>::value,
                  "a BuiltTensor is its TtpmBuiltTensor: an array of one is an array of the other");
    const TtpmBuiltTensor* in =
        inputs.size() ? reinterpret_cast<const TtpmBuiltTensor*>(inputs.data()) : nullptr;
    TtpmBuiltQuery q{};
    q.op_params = &op.c();
    q.version = options.version;
    q.inputs = in;
    q.n_inputs = inputs.size();
    q.output = output ? &output->c() : nullptr;
    q.grid_x = options.grid_x;
    q.grid_y = options.grid_y;
    TtpmEstimate e;
    TtpmStatus s = ttpm_query_built(handle_.get(), &q, &e);
    if (s != TTPM_OK) return detail::last_error(s);
    return Estimate(e);
  }

  /// Answers one query given in C form.
  Result<Estimate> query(const TtpmQuery& q) const {
    TtpmEstimate e;
    TtpmStatus s = ttpm_query(handle_.get(), &q, &e);
    if (s != TTPM_OK) return detail::last_error(s);
    return Estimate(e);
  }

 private:
  struct Free {
    void operator()(TtpmModels* m) const noexcept { ttpm_models_free(m); }
  };
  explicit Models(TtpmModels* raw) noexcept : handle_(raw) {}
  std::unique_ptr<TtpmModels, Free> handle_;
};

}  // namespace ttpm

#endif  // TTNN_OP_PERF_MODELS_HPP
