//! The CLI's error: what went wrong and the exit code it ends the process with (the
//! classes are listed in `main.rs`).

/// A failure with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    /// A file cannot be read or written (exit 3).
    pub fn io(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 3,
            error: error.into(),
        }
    }
    /// A file's content is unusable (exit 4).
    pub fn data(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 4,
            error: error.into(),
        }
    }
    /// Unknown device, op or version (exit 5).
    pub fn unknown(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 5,
            error: error.into(),
        }
    }
    /// A query failed (exit 6).
    pub fn query(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 6,
            error: error.into(),
        }
    }
}
