//! The build's device filter: compile in only some devices, as chrono-tz's
//! `CHRONO_TZ_TIMEZONE_FILTER` does for time zones.

use crate::SpecSet;
use std::fmt;

/// Environment variable naming the devices to compile in, comma-separated (all when unset).
pub const DEVICE_FILTER: &str = "TTNN_PERF_MODELS_DEVICES";

/// A device filter that names no device, or a device the specs do not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceFilterError {
    /// The filter as given.
    pub filter: String,
    /// The names in it that are not devices.
    pub unknown: Vec<String>,
    /// Every device of the specs.
    pub devices: Vec<String>,
}

impl fmt::Display for DeviceFilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{DEVICE_FILTER}={:?} must list one or more of {}",
            self.filter,
            self.devices.join(", ")
        )?;
        if !self.unknown.is_empty() {
            write!(f, "; unknown: {}", self.unknown.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for DeviceFilterError {}

impl SpecSet {
    /// Keeps the devices `filter` names (comma-separated, as [`DEVICE_FILTER`] holds them)
    /// and their models; every other part of the set (ops, families) stays. An empty filter
    /// or one naming an unknown device is an error listing the valid names.
    pub fn keep_devices(&mut self, filter: &str) -> Result<(), DeviceFilterError> {
        let wanted: Vec<&str> = filter
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let unknown: Vec<String> = wanted
            .iter()
            .filter(|w| !self.devices.iter().any(|d| d.name == **w))
            .map(|w| w.to_string())
            .collect();
        if wanted.is_empty() || !unknown.is_empty() {
            return Err(DeviceFilterError {
                filter: filter.to_string(),
                unknown,
                devices: self.devices.iter().map(|d| d.name.clone()).collect(),
            });
        }
        self.devices.retain(|d| wanted.contains(&d.name.as_str()));
        self.models.retain(|m| wanted.contains(&m.device.as_str()));
        Ok(())
    }
}
