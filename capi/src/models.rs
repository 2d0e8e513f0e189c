//! The models handle: created from a device name and options, freed, asked its device.

use crate::last_error::guard;
use crate::read::{object, slice, text, writable};
use crate::types::*;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;
use ttnn_op_perf_models::{Card, Device, Error, Name, Op, PerfModels};

/// The models of one device and card: opaque to C, created by [`ttpm_models_new`], freed by
/// [`ttpm_models_free`]. Immutable, so it may be queried from any number of threads at once.
pub struct TtpmModels {
    pub(crate) models: PerfModels,
    pub(crate) names: &'static Names,
}

// The promise above, checked when compiled: a handle may be shared between threads.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<TtpmModels>();
};

/// NUL-terminated names of every device and op, made once per process.
pub(crate) struct Names {
    pub(crate) devices: [&'static CStr; Device::COUNT],
    pub(crate) ops: [&'static CStr; Op::COUNT],
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let leak = |s: &str| -> &'static CStr {
        Box::leak(
            CString::new(s)
                .expect("names have no NUL")
                .into_boxed_c_str(),
        )
    };
    Names {
        devices: Device::ALL.map(|d| leak(d.name())),
        ops: Op::ALL.map(|o| leak(o.name())),
    }
});

/// Creates the models of a device (`"wormhole_b0"`, `"blackhole"`, ...), with `options`
/// (null: the default card, every op, latest versions, no fallback), into `*out`.
///
/// Returns [`TTPM_OK`], or the failure's status with `*out` left untouched. Free the handle
/// with [`ttpm_models_free`].
///
/// # Safety
/// `device` and the strings and arrays `options` points to must be valid for their lengths;
/// `out` must be null (refused) or point to writable memory for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_new(
    device: TtpmStr,
    options: *const TtpmModelsOptions,
    out: *mut *mut TtpmModels,
) -> TtpmStatus {
    guard(|| {
        writable(out)?;
        // SAFETY: the caller's contract, for each read below.
        let device = Device::from_name(unsafe { text(device, "device", None)? })?;
        let defaults = TtpmModelsOptions::default();
        let options = if options.is_null() {
            &defaults
        } else {
            unsafe { object(options, "options")? }
        };
        let mut builder = PerfModels::builder(device).fallback(options.fallback != 0);
        let card = unsafe { text(options.card, "options.card", None)? };
        if !card.is_empty() {
            let found = Card::from_name(card).ok_or(Error::UnknownCard {
                name: Name::new(card),
                device,
            })?;
            builder = builder.card(found);
        }
        let names = unsafe {
            slice(
                options.ops,
                options.n_ops,
                TTPM_MAX_TENSORS,
                "options.ops",
                None,
            )?
        };
        let mut ops = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            ops.push(Op::from_name(unsafe {
                text(*name, "options.ops", Some(i))?
            })?);
        }
        if !ops.is_empty() {
            builder = builder.ops(&ops);
        }
        let given = unsafe {
            slice(
                options.pins,
                options.n_pins,
                TTPM_MAX_TENSORS,
                "options.pins",
                None,
            )?
        };
        let mut pins = Vec::with_capacity(given.len());
        for (i, pin) in given.iter().enumerate() {
            let op = Op::from_name(unsafe { text(pin.op, "options.pins", Some(i))? })?;
            pins.push((op, pin.version));
        }
        let models = builder.pins(&pins).build()?;
        let handle = Box::new(TtpmModels {
            models,
            names: &NAMES,
        });
        // SAFETY: checked non-null and aligned above.
        unsafe { out.write(Box::into_raw(handle)) };
        Ok(())
    })
}

/// Frees a handle from [`ttpm_models_new`]; null is ignored.
///
/// # Safety
/// `models` must be null or a handle from [`ttpm_models_new`] not freed before, and no other
/// thread may be using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_free(models: *mut TtpmModels) {
    if !models.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: the caller's contract: a live handle from `Box::into_raw`.
            drop(unsafe { Box::from_raw(models) })
        }));
    }
}

/// The device of a handle, as a static NUL-terminated name; null for a null handle.
///
/// # Safety
/// `models` must be null or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_device(models: *const TtpmModels) -> *const c_char {
    // SAFETY: the caller's contract.
    match unsafe { object(models, "models") } {
        Ok(m) => m.names.devices[m.models.device().index()].as_ptr(),
        Err(_) => std::ptr::null(),
    }
}
