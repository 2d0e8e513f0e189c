"""Type stubs of ttnn_op_perf_models: predicts how long a TTNN operation takes on a
Tenstorrent device."""

from os import PathLike
from typing import Iterator, Mapping, Optional, Sequence, TypedDict, Union, final

__version__: str
__all__ = [
    "PerfModels",
    "Tensor",
    "Query",
    "Estimate",
    "TraceRow",
    "Trace",
    "read_trace",
    "devices",
    "PerfModelError",
    "UnknownDeviceError",
    "UnknownCardError",
    "UnknownOpError",
    "OpNotLoadedError",
    "NoModelForDeviceError",
    "NoSuchVersionError",
    "ModeNotModeledError",
    "MissingParamError",
    "UnknownParamError",
    "InvalidParamError",
    "OperandCountError",
    "InvalidTensorError",
    "InvalidGridError",
    "EstimateOverflowError",
    "TensorSpecError",
    "TraceError",
    "__version__",
]

_ParamValue = Union[str, bool, int, float]
_TensorLike = Union[str, "Tensor"]

class PerfModelError(ValueError):
    """Base class of every error the library reports; its message is the library's."""

class UnknownDeviceError(PerfModelError): ...
class UnknownCardError(PerfModelError): ...
class UnknownOpError(PerfModelError): ...
class OpNotLoadedError(PerfModelError): ...
class NoModelForDeviceError(PerfModelError): ...
class NoSuchVersionError(PerfModelError): ...
class ModeNotModeledError(PerfModelError): ...
class MissingParamError(PerfModelError): ...
class UnknownParamError(PerfModelError): ...
class InvalidParamError(PerfModelError): ...
class OperandCountError(PerfModelError): ...
class InvalidTensorError(PerfModelError): ...
class InvalidGridError(PerfModelError): ...
class EstimateOverflowError(PerfModelError): ...
class TensorSpecError(PerfModelError): ...
class TraceError(PerfModelError): ...

@final
class Tensor:
    """A tensor operand. `memory` is `dram`, `l1` or sharded (`l1_height[4x5]`, with
    `shard=(height, width)`)."""

    def __new__(
        cls,
        shape: Sequence[int],
        dtype: str = "bfloat16",
        layout: str = "tile",
        memory: str = "dram",
        shard: Optional[tuple[int, int]] = None,
        orientation: str = "row_major",
        logical_shape: Optional[Sequence[int]] = None,
    ) -> Tensor: ...
    @staticmethod
    def parse(spec: str) -> Tensor:
        """From the compact syntax: DIMS:DTYPE[:LAYOUT[:MEMORY[:OPTION]...]]."""
    @property
    def shape(self) -> list[int]: ...
    @property
    def logical_shape(self) -> list[int]: ...
    @property
    def dtype(self) -> str: ...
    @property
    def layout(self) -> str: ...
    @property
    def memory(self) -> str: ...
    @property
    def shard(self) -> Optional[tuple[int, int]]: ...

class _Accuracy(TypedDict):
    median_ape: float
    p90_ape: float
    rows: int

class _Breakdown(TypedDict):
    overhead_ns: float
    compute_ns: float
    dram_ns: float
    noc_ns: float

@final
class Estimate:
    @property
    def duration_ns(self) -> float: ...
    @property
    def bound(self) -> str:
        """"overhead", "compute", "dram" or "noc"."""
    @property
    def model(self) -> str:
        """`device/op@vN`, or `device/fallback`."""
    @property
    def version(self) -> Optional[int]: ...
    @property
    def fallback(self) -> bool: ...
    @property
    def band_ns(self) -> Optional[tuple[float, float]]: ...
    @property
    def accuracy(self) -> Optional[_Accuracy]: ...
    @property
    def breakdown(self) -> _Breakdown: ...

@final
class Query:
    def __new__(
        cls,
        op: str,
        inputs: Sequence[_TensorLike],
        params: Optional[Mapping[str, _ParamValue]] = None,
        output: Optional[_TensorLike] = None,
        version: Optional[int] = None,
        grid: Optional[tuple[int, int]] = None,
    ) -> Query: ...
    @property
    def op(self) -> str: ...
    @property
    def inputs(self) -> list[Tensor]: ...
    @property
    def output(self) -> Optional[Tensor]: ...
    @property
    def params(self) -> dict[str, _ParamValue]: ...
    @property
    def version(self) -> Optional[int]: ...
    @property
    def grid(self) -> Optional[tuple[int, int]]: ...

class _VersionInfo(TypedDict):
    version: int
    family: str
    calibrated: bool
    median_ape: Optional[float]
    p90_ape: Optional[float]

class _OpInfo(TypedDict):
    op: str
    op_codes: list[str]
    versions: list[_VersionInfo]
    latest: int

@final
class PerfModels:
    def __new__(
        cls,
        device: str,
        card: Optional[str] = None,
        ops: Optional[Sequence[str]] = None,
        pins: Optional[Mapping[str, int]] = None,
        fallback: bool = False,
    ) -> PerfModels: ...
    @property
    def device(self) -> str: ...
    @property
    def card(self) -> str: ...
    def query(
        self,
        op: Union[str, Query],
        inputs: Optional[Sequence[_TensorLike]] = None,
        params: Optional[Mapping[str, _ParamValue]] = None,
        output: Optional[_TensorLike] = None,
        version: Optional[int] = None,
        grid: Optional[tuple[int, int]] = None,
    ) -> Estimate: ...
    def list(self) -> list[_OpInfo]: ...

@final
class TraceRow:
    @property
    def line(self) -> int: ...
    @property
    def op_code(self) -> str: ...
    @property
    def device(self) -> str: ...
    @property
    def measured_ns(self) -> Optional[float]: ...
    @property
    def replayed(self) -> bool: ...
    @property
    def replays(self) -> Optional[int]: ...
    @property
    def baseline_ns(self) -> Optional[float]: ...
    @property
    def query(self) -> Query: ...

@final
class Trace:
    @property
    def rows(self) -> list[TraceRow]: ...
    @property
    def malformed(self) -> list[tuple[int, str]]: ...
    @property
    def signposts(self) -> int: ...
    def __iter__(self) -> Iterator[TraceRow]: ...
    def __len__(self) -> int: ...

def read_trace(path: Union[str, PathLike[str]], device: Optional[str] = None) -> Trace: ...
def devices() -> list[str]: ...
