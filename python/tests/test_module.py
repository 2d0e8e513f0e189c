"""The Python module: the issue's example, tensors in both forms, m.list(), the trace reader,
and an exception of its own kind, with the library's message, for each error."""

import math
import os
from pathlib import Path

import pytest

import ttnn_op_perf_models as tpm

A = "1x1x128x4096:bf16"
W = "1x1x4096x4096:bf8"
HIFI2 = {"math_fidelity": "hifi2"}


@pytest.fixture(scope="module")
def m():
    return tpm.PerfModels("wormhole_b0")


def test_the_issue_example(m):
    e = m.query("matmul", inputs=[A, W], params=HIFI2)
    assert math.isfinite(e.duration_ns) and e.duration_ns > 1000
    assert e.bound in ("overhead", "compute", "dram", "noc")
    assert e.model == "wormhole_b0/matmul@v2"
    low, high = e.band_ns
    assert low < e.duration_ns < high
    b = e.breakdown
    assert e.duration_ns == pytest.approx(
        b["overhead_ns"] + max(b["compute_ns"], b["dram_ns"], b["noc_ns"])
    )
    assert 0 < e.accuracy["median_ape"] <= e.accuracy["p90_ape"]


def test_op_codes_and_tensor_objects_agree_with_specs(m):
    by_name = m.query("matmul", inputs=[A, W], params=HIFI2)
    objects = [
        tpm.Tensor([1, 1, 128, 4096]),
        tpm.Tensor([1, 1, 4096, 4096], dtype="bfloat8_b", layout="tile", memory="dram"),
    ]
    by_code = m.query("MatmulDeviceOperation", inputs=objects, params=HIFI2)
    assert by_code.duration_ns == by_name.duration_ns
    assert by_code.model == by_name.model


def test_tensor_round_trips_the_compact_syntax():
    t = tpm.Tensor.parse("1x1x640x320:bf16:tile:l1_height[4x5]:shard=32x320")
    assert t.shape == [1, 1, 640, 320]
    assert (t.dtype, t.layout, t.memory, t.shard) == ("bfloat16", "tile", "l1_height[4x5]", (32, 320))
    assert tpm.Tensor.parse(str(t)) == t
    same = tpm.Tensor([1, 1, 640, 320], memory="l1_height[4x5]", shard=(32, 320))
    assert same == t
    padded = tpm.Tensor([32, 1280], logical_shape=[19, 1280])
    assert padded.logical_shape == [19, 1280]
    assert str(padded).startswith("32[19]x1280:")


def test_versions_pins_grid_and_physics(m):
    x = ["1x1x1024x1024:bf16"]
    exp = {"unary_op": "exp"}
    v1 = m.query("eltwise_unary", inputs=x, params=exp, version=1)
    assert v1.model == "wormhole_b0/eltwise_unary@v1" and v1.band_ns is None and v1.accuracy is None
    latest = m.query("eltwise_unary", inputs=x, params=exp, version=0)
    # Wormhole unary's latest is its v1 physics, measured: v2 holds every coefficient at v1.
    assert latest.version == 2 and latest.duration_ns == v1.duration_ns
    assert latest.band_ns is not None and latest.accuracy is not None
    small = m.query("eltwise_unary", inputs=x, params=exp, grid=(2, 2))
    assert small.duration_ns >= latest.duration_ns
    bigger = m.query("eltwise_unary", inputs=["1x1x2048x2048:bf16"], params=exp)
    assert bigger.duration_ns > latest.duration_ns
    pinned = tpm.PerfModels("blackhole", card="p150", ops=["matmul"], pins={"matmul": 1})
    assert (pinned.device, pinned.card) == ("blackhole", "p150")
    assert pinned.query("matmul", inputs=[A, W]).model == "blackhole/matmul@v1"


def test_data_movement_with_output(m):
    out = "1x1x2048x256:bf16:tile:l1_height[8x8]:shard=32x256"
    e = m.query("InterleavedToShardedDeviceOperation", inputs=["1x1x2048x256:bf16"], output=out)
    assert e.model == "wormhole_b0/interleaved_to_sharded@v2"


def test_list_has_every_op_with_versions(m):
    ops = {o["op"]: o for o in m.list()}
    assert {"matmul", "eltwise_unary", "eltwise_binary"} <= set(ops)
    mm = ops["matmul"]
    assert "MatmulDeviceOperation" in mm["op_codes"]
    assert [v["version"] for v in mm["versions"]] == sorted(v["version"] for v in mm["versions"])
    assert mm["latest"] == mm["versions"][-1]["version"]
    assert mm["versions"][0]["calibrated"] is False and mm["versions"][0]["p90_ape"] is None
    assert "typecast" not in {o["op"] for o in tpm.PerfModels("grayskull").list()}
    assert set(tpm.devices()) == {"blackhole", "grayskull", "wormhole_b0"}


def test_fallback_answers_unknown_ops():
    fb = tpm.PerfModels("wormhole_b0", fallback=True)
    e = fb.query("UnmodeledDeviceOperation", inputs=["1x1x1024x1024:bf16"])
    assert e.fallback and e.model == "wormhole_b0/fallback" and e.version is None


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m: tpm.PerfModels("wormhole_c0"), tpm.UnknownDeviceError, "unknown device `wormhole_c0`"),
        (lambda m: tpm.PerfModels("wormhole_b0", card="p150"), tpm.UnknownCardError, "not a card of wormhole_b0"),
        (lambda m: m.query("UnmodeledDeviceOperation", inputs=[A]), tpm.UnknownOpError, "UnmodeledDeviceOperation"),
        (lambda m: tpm.PerfModels("blackhole", ops=["matmul"]).query("eltwise_unary", inputs=[A], params={"unary_op": "exp"}),
         tpm.OpNotLoadedError, "not loaded"),
        (lambda m: tpm.PerfModels("grayskull", ops=["typecast"]), tpm.NoModelForDeviceError, "no model for device grayskull"),
        (lambda m: m.query("matmul", inputs=[A, W], version=99), tpm.NoSuchVersionError, "has no version 99"),
        (lambda m: m.query("matmul", inputs=["32x64:bf16:tile32x16", "64x32:bf16"]), tpm.ModeNotModeledError, "not modeled"),
        (lambda m: m.query("eltwise_unary", inputs=[A]), tpm.MissingParamError, "missing param `unary_op`"),
        (lambda m: m.query("matmul", inputs=[A, W], params={"fidelity": "hifi2"}), tpm.UnknownParamError, "no param `fidelity`"),
        (lambda m: m.query("matmul", inputs=[A, W], params={"math_fidelity": "hifi9"}), tpm.InvalidParamError,
         "matmul: param `math_fidelity`: expected one of lofi, hifi2, hifi3, hifi4"),
        (lambda m: m.query("matmul", inputs=[A, W], params={"math_fidelity": 2}), tpm.InvalidParamError, "math_fidelity"),
        (lambda m: m.query("matmul", inputs=[A]), tpm.OperandCountError, "the query has 1 input(s)"),
        (lambda m: m.query("matmul", inputs=["64x64:bf16", "32x64:bf16"]), tpm.InvalidTensorError, "does not fit"),
        (lambda m: m.query("eltwise_binary", inputs=["33x32:bf16:row_major"] * 2, params={"binary_op": "add"}),
         tpm.InvalidTensorError, "does not take that layout"),
        (lambda m: m.query("eltwise_unary", inputs=["1073741824x32:bf16"], params={"unary_op": "exp"}, grid=(9, 8)),
         tpm.InvalidGridError, "9x8"),
        (lambda m: m.query("eltwise_unary", inputs=[tpm.Tensor([1 << 30, 1 << 30, 1 << 30, 32, 32])], params={"unary_op": "exp"}),
         tpm.EstimateOverflowError, "overflow"),
        (lambda m: m.query("eltwise_unary", inputs=["1x0x32:bf16"], params={"unary_op": "exp"}), tpm.TensorSpecError, "dim 1 `0`"),
        (lambda m: m.query("eltwise_unary", inputs=["32x32:bf17"], params={"unary_op": "exp"}), tpm.TensorSpecError, "dtype `bf17`"),
        (lambda m: tpm.Tensor([32, 32], dtype="nope"), tpm.TensorSpecError, "dtype `nope`"),
        (lambda m: tpm.Tensor([1] * 9), tpm.TensorSpecError, "rank 9"),
        (lambda m: tpm.Tensor([32, 32], memory="l1_height[2x2]"), tpm.TensorSpecError, "shard=HxW"),
        (lambda m: m.query("eltwise_unary", inputs=[tpm.Tensor([0, 32])], params={"unary_op": "exp"}), tpm.InvalidTensorError, "dim 0 has size 0"),
        (lambda m: tpm.read_trace("/nonexistent/trace.csv"), tpm.TraceError, "/nonexistent/trace.csv"),
    ],
)
def test_each_error_kind_raises_its_class_with_the_message(m, call, error, message):
    with pytest.raises(error) as info:
        call(m)
    assert isinstance(info.value, tpm.PerfModelError) and isinstance(info.value, ValueError)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.query(42, inputs=[A]), "op: expected an op name"),
        (lambda m: m.query("matmul", inputs=A), "got one string"),
        (lambda m: m.query("matmul", inputs=5), "expected a list of tensors"),
        (lambda m: m.query("matmul", inputs=[A, 3.5]), "inputs[1]: expected a tensor spec string"),
        (lambda m: m.query("matmul", inputs=[A, W], params=["math_fidelity"]), "params: expected a dict"),
        (lambda m: m.query("matmul", inputs=[A, W], params={1: "hifi2"}), "keys must be str"),
        (lambda m: m.query("matmul", inputs=[A, W], params={"math_fidelity": None}), "expected str, bool, int or float"),
        (lambda m: m.query("matmul", inputs=[A, W], output=7), "output: expected a tensor spec string"),
        (lambda m: tpm.PerfModels("wormhole_b0", pins=[("matmul", 1)]), "pins: expected a dict"),
        (lambda m: tpm.PerfModels("wormhole_b0", pins={"matmul": "one"}), "pins[\"matmul\"]"),
        (lambda m: m.query(tpm.Query("matmul", [A, W]), inputs=[A]), "a Query carries its own"),
    ],
)
def test_wrong_types_raise_type_errors(m, call, message):
    with pytest.raises(TypeError) as info:
        call(m)
    assert message in str(info.value)


def test_models_answer_the_same_after_failures(m):
    before = m.query("matmul", inputs=[A, W], params=HIFI2).duration_ns
    for bad in ({"math_fidelity": "hifi9"}, {"nope": 1}, {"math_fidelity": 1.5}):
        with pytest.raises(tpm.PerfModelError):
            m.query("matmul", inputs=[A, W], params=bad)
    assert m.query("matmul", inputs=[A, W], params=HIFI2).duration_ns == before


TRACE_HEADER = (
    "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,"
    "DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],"
    "INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY\n"
)
TRACE_ROW = (
    "UnaryDeviceOperation,tt_dnn_device,wormhole_b0,"
    "\"{'op_chain': '{BasicUnaryWithParam<float>(op_type=UnaryOpType::EXP;param={0})}'}\","
    "HiFi4,64,64,5000,17,1[1],1[1],1024[1024],1024[1024],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n"
)


def test_trace_reader_yields_queries_and_measured_durations(tmp_path, m):
    path = tmp_path / "ops_perf_results.csv"
    path.write_text(TRACE_HEADER + TRACE_ROW + "signpost,signpost,,,,,,,,,,,,,,\n" + TRACE_ROW.replace("1024[1024],1024", "x[1024],1024"))
    trace = tpm.read_trace(path)
    assert len(trace) == 1 and trace.signposts == 1
    assert [line for line, _ in trace.malformed] == [4]
    (row,) = list(trace)
    assert (row.line, row.op_code, row.device, row.measured_ns, row.baseline_ns) == (
        2, "UnaryDeviceOperation", "wormhole_b0", 5000.0, 17.0)
    q = row.query
    assert q.op == "UnaryDeviceOperation"
    assert q.params == {"unary_op": "exp", "fast_and_approximate_mode": False}
    assert [t.shape for t in q.inputs] == [[1, 1, 1024, 1024]]
    e = m.query(q)
    direct = m.query("eltwise_unary", inputs=["1x1x1024x1024:bf16"], params={"unary_op": "exp"}, grid=q.grid)
    assert e.duration_ns == direct.duration_ns


def test_a_replayed_binary_row_names_the_call_it_repeats(tmp_path):
    add = (
        "BinaryNgDeviceOperation,tt_dnn_device,wormhole_b0,\"{'binary_op_type': 'BinaryOpType::ADD'}\","
        "HiFi4,64,64,NS,1,1[1],1[1],32[32],1280[1280],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n"
    )
    path = tmp_path / "ops_perf_results.csv"
    path.write_text(TRACE_HEADER + add.replace("NS", "3000") + add.replace("NS", "4400"))
    first, second = list(tpm.read_trace(path))
    assert (first.measured_ns, first.replayed, first.replays) == (3000.0, False, None)
    assert (second.measured_ns, second.replayed, second.replays) == (None, True, 2)


def test_a_metal_trace_binary_row_without_an_earlier_call_is_replayed(tmp_path):
    add = (
        "1,BinaryNgDeviceOperation,tt_dnn_device,blackhole,\"{'binary_op_type': 'BinaryOpType::ADD'}\","
        "HiFi4,110,110,2200,1,1[1],1[1],32[5],8192[8192],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n"
    )
    path = tmp_path / "ops_perf_results.csv"
    path.write_text("METAL TRACE ID," + TRACE_HEADER + add)
    (row,) = list(tpm.read_trace(path))
    assert (row.measured_ns, row.replayed, row.replays) == (None, True, None)


SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "traces" / "wh_clip_encoder_2.csv"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data absent")
def test_shared_trace_rows_are_answered():
    m = tpm.PerfModels("wormhole_b0", fallback=True)
    trace = tpm.read_trace(SHARED)
    answered = measured = 0
    for row in trace:
        if row.measured_ns is None:
            continue
        measured += 1
        try:
            e = m.query(row.query)
        except tpm.PerfModelError:
            continue
        answered += 1
        assert math.isfinite(e.duration_ns) and e.duration_ns > 0
    assert measured > 1000 and answered > 0.9 * measured, (answered, measured)


def test_stubs_and_py_typed_are_installed():
    here = Path(tpm.__file__).parent if hasattr(tpm, "__file__") and tpm.__file__ else None
    assert here is not None
    names = set(os.listdir(here))
    assert "py.typed" in names and any(n.endswith(".pyi") for n in names), names
