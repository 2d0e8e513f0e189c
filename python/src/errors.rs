//! The exceptions: `PerfModelError` for every error the library reports, a subclass per
//! kind, and the module's own (a tensor spec, a trace).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use ttnn_op_perf_models::{Error, ErrorKind};

create_exception!(
    ttnn_op_perf_models,
    PerfModelError,
    PyValueError,
    "Base class of every error the library reports; its message is the library's."
);

/// Defines the subclasses of `PerfModelError`, and `add_exceptions`, which adds them all to
/// the module.
macro_rules! exceptions {
    ($($name:ident: $doc:literal,)*) => {
        $(create_exception!(ttnn_op_perf_models, $name, PerfModelError, $doc);)*

        pub(crate) fn add_exceptions(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            m.add("PerfModelError", py.get_type::<PerfModelError>())?;
            $(m.add(stringify!($name), py.get_type::<$name>())?;)*
            Ok(())
        }
    };
}

exceptions! {
    UnknownDeviceError: "No device has this name or alias.",
    UnknownCardError: "No card has this name, or it is not one of the device's.",
    UnknownOpError: "No op has this name or ttnn OP CODE.",
    OpNotLoadedError: "The models were created without this op.",
    NoModelForDeviceError: "The op has no model for the device.",
    NoSuchVersionError: "The model version does not exist.",
    ModeNotModeledError: "The model does not cover this combination of params and tensors.",
    MissingParamError: "A required op param is missing.",
    UnknownParamError: "The op has no param with this key.",
    InvalidParamError: "An op param value is not acceptable.",
    OperandCountError: "The op takes another number of tensors.",
    InvalidTensorError: "A tensor description is invalid for the op.",
    InvalidGridError: "The core grid is empty or larger than the card's.",
    EstimateOverflowError: "A count or the duration overflows.",
    TensorSpecError: "A tensor spec or Tensor argument cannot be read.",
    TraceError: "A profiler trace cannot be read.",
}

/// The library's error as the exception of its kind, with its message.
pub(crate) fn raise(e: Error) -> PyErr {
    let msg = e.to_string();
    match e.kind() {
        ErrorKind::UnknownDevice => UnknownDeviceError::new_err(msg),
        ErrorKind::UnknownCard => UnknownCardError::new_err(msg),
        ErrorKind::UnknownOp => UnknownOpError::new_err(msg),
        ErrorKind::OpNotLoaded => OpNotLoadedError::new_err(msg),
        ErrorKind::NoModelForDevice => NoModelForDeviceError::new_err(msg),
        ErrorKind::NoSuchVersion => NoSuchVersionError::new_err(msg),
        ErrorKind::ModeNotModeled => ModeNotModeledError::new_err(msg),
        ErrorKind::MissingParam => MissingParamError::new_err(msg),
        ErrorKind::UnknownParam => UnknownParamError::new_err(msg),
        ErrorKind::InvalidParam => InvalidParamError::new_err(msg),
        ErrorKind::OperandCount => OperandCountError::new_err(msg),
        ErrorKind::InvalidTensor => InvalidTensorError::new_err(msg),
        ErrorKind::InvalidGrid => InvalidGridError::new_err(msg),
        ErrorKind::Overflow => EstimateOverflowError::new_err(msg),
    }
}

/// The type of `x` by name, for a `TypeError`'s message.
pub(crate) fn type_name(x: &Bound<'_, PyAny>) -> String {
    x.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}
