"""A Python query's cost: `python python/bench_query.py` (after `maturin develop --release`).

Prints ns per query, best of 5 rounds of 100000, for tensors given as spec strings, as
Tensor objects, and as a prebuilt Query (the README's matmul on wormhole_b0)."""

import timeit

import ttnn_op_perf_models as tpm

m = tpm.PerfModels("wormhole_b0")
specs = ["1x1x128x4096:bf16", "1x1x4096x4096:bf8"]
params = {"math_fidelity": "hifi2"}
tensors = [tpm.Tensor.parse(s) for s in specs]
query = tpm.Query("matmul", tensors, params)
n = 100_000
for name, call in [
    ("spec strings", lambda: m.query("matmul", inputs=specs, params=params)),
    ("Tensor objects", lambda: m.query("matmul", inputs=tensors, params=params)),
    ("a Query", lambda: m.query(query)),
]:
    ns = min(timeit.repeat(call, number=n, repeat=5)) / n * 1e9
    print(f"{name:>15}: {ns:6.0f} ns/query")
