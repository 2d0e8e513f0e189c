//! The failure of the last call on each thread, and the entry points that report it. The
//! failure is kept as a `Copy` value, not a message: a failed query allocates nothing, and
//! the message is formatted only when C asks for it.

use crate::read::ArgError;
use crate::types::*;
use std::cell::Cell;
use std::ffi::{CStr, c_char};
use std::fmt::{self, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use ttnn_op_perf_models::{Error, ErrorKind};

/// Why a call failed; kept per thread for [`ttpm_last_error_message`]. `Copy`, owning no
/// heap memory: keeping it allocates nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure {
    None,
    Library(Error),
    Argument(ArgError),
    Panic,
}

impl Failure {
    fn status(&self) -> TtpmStatus {
        match self {
            Failure::None => TTPM_OK,
            Failure::Library(e) => status_of(e),
            Failure::Argument(a) => a.status,
            Failure::Panic => TTPM_INTERNAL_ERROR,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::None => Ok(()),
            Failure::Library(e) => write!(f, "{e}"),
            Failure::Argument(a) => write!(f, "{a}"),
            Failure::Panic => f.write_str(
                "internal error: the library panicked (a bug; the panic was caught at the C boundary)",
            ),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Library(e)
    }
}

impl From<ArgError> for Failure {
    fn from(e: ArgError) -> Self {
        Failure::Argument(e)
    }
}

/// The status of a library error.
fn status_of(e: &Error) -> TtpmStatus {
    match e.kind() {
        ErrorKind::UnknownDevice => TTPM_UNKNOWN_DEVICE,
        ErrorKind::UnknownCard => TTPM_UNKNOWN_CARD,
        ErrorKind::UnknownOp => TTPM_UNKNOWN_OP,
        ErrorKind::OpNotLoaded => TTPM_OP_NOT_LOADED,
        ErrorKind::NoModelForDevice => TTPM_NO_MODEL_FOR_DEVICE,
        ErrorKind::NoSuchVersion => TTPM_NO_SUCH_VERSION,
        ErrorKind::ModeNotModeled => TTPM_MODE_NOT_MODELED,
        ErrorKind::MissingParam => TTPM_MISSING_PARAM,
        ErrorKind::UnknownParam => TTPM_UNKNOWN_PARAM,
        ErrorKind::InvalidParam => TTPM_INVALID_PARAM,
        ErrorKind::OperandCount => TTPM_OPERAND_COUNT,
        ErrorKind::InvalidTensor => TTPM_INVALID_TENSOR,
        ErrorKind::InvalidGrid => TTPM_INVALID_GRID,
        ErrorKind::Overflow => TTPM_OVERFLOW,
    }
}

thread_local! {
    static LAST: Cell<Failure> = const { Cell::new(Failure::None) };
}

/// Runs an entry point: a panic becomes [`TTPM_INTERNAL_ERROR`], a failure is kept for
/// [`ttpm_last_error_message`] and returned as its status.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), Failure>) -> TtpmStatus {
    let failure = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return TTPM_OK,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::Panic,
    };
    LAST.with(|last| last.set(failure));
    failure.status()
}

/// Writes the message of the last failed call on this thread into `buf` (at most `cap - 1`
/// bytes, cut at a UTF-8 character boundary, then a NUL) and returns the message's full
/// length in bytes, without the NUL, as `snprintf` does: a return `>= cap` means it was cut.
/// With `cap` 0, `buf` may be null and only the length is returned. The message is empty
/// (0) when no call on this thread has failed.
///
/// # Safety
/// `buf` must be null with `cap` 0, or point to `cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_last_error_message(buf: *mut c_char, cap: usize) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        let failure = LAST.with(Cell::get);
        let out: &mut [u8] = if cap == 0 || buf.is_null() {
            &mut []
        } else {
            // SAFETY: the caller's contract.
            unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), cap) }
        };
        let mut w = Truncating {
            buf: out,
            len: 0,
            total: 0,
            full: false,
        };
        let _ = write!(w, "{failure}");
        if let Some(nul) = w.buf.get_mut(w.len) {
            *nul = 0;
        }
        w.total
    }))
    .unwrap_or(0)
}

/// The status of the last failed call on this thread; [`TTPM_OK`] when none has failed.
#[unsafe(no_mangle)]
pub extern "C" fn ttpm_last_error_status() -> TtpmStatus {
    catch_unwind(|| LAST.with(Cell::get).status()).unwrap_or(TTPM_INTERNAL_ERROR)
}

/// The name of a status (`"TTPM_INVALID_TENSOR"`), a static NUL-terminated string;
/// `"TTPM_UNKNOWN_STATUS"` for a value no constant has.
#[unsafe(no_mangle)]
pub extern "C" fn ttpm_status_name(status: TtpmStatus) -> *const c_char {
    let name: &'static CStr = match status {
        TTPM_OK => c"TTPM_OK",
        TTPM_INVALID_ARGUMENT => c"TTPM_INVALID_ARGUMENT",
        TTPM_UNKNOWN_DEVICE => c"TTPM_UNKNOWN_DEVICE",
        TTPM_UNKNOWN_CARD => c"TTPM_UNKNOWN_CARD",
        TTPM_UNKNOWN_OP => c"TTPM_UNKNOWN_OP",
        TTPM_OP_NOT_LOADED => c"TTPM_OP_NOT_LOADED",
        TTPM_NO_MODEL_FOR_DEVICE => c"TTPM_NO_MODEL_FOR_DEVICE",
        TTPM_NO_SUCH_VERSION => c"TTPM_NO_SUCH_VERSION",
        TTPM_MODE_NOT_MODELED => c"TTPM_MODE_NOT_MODELED",
        TTPM_MISSING_PARAM => c"TTPM_MISSING_PARAM",
        TTPM_UNKNOWN_PARAM => c"TTPM_UNKNOWN_PARAM",
        TTPM_INVALID_PARAM => c"TTPM_INVALID_PARAM",
        TTPM_OPERAND_COUNT => c"TTPM_OPERAND_COUNT",
        TTPM_INVALID_TENSOR => c"TTPM_INVALID_TENSOR",
        TTPM_INVALID_GRID => c"TTPM_INVALID_GRID",
        TTPM_OVERFLOW => c"TTPM_OVERFLOW",
        TTPM_OTHER_ERROR => c"TTPM_OTHER_ERROR",
        TTPM_INTERNAL_ERROR => c"TTPM_INTERNAL_ERROR",
        _ => c"TTPM_UNKNOWN_STATUS",
    };
    name.as_ptr()
}

/// Writes into a fixed buffer, keeping room for a NUL and cutting at a character boundary;
/// counts every byte offered.
struct Truncating<'a> {
    buf: &'a mut [u8],
    len: usize,
    total: usize,
    full: bool,
}

impl fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.total += s.len();
        if self.full {
            return Ok(());
        }
        let room = self.buf.len().saturating_sub(1 + self.len);
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        self.full = n < s.len();
        Ok(())
    }
}
