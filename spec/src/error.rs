//! Spec errors: every one names the file, the line, the key and what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file, as given to the loader.
    pub file: PathBuf,
    /// 1-based line of the offending key or table (0 when the problem concerns the whole file).
    pub line: usize,
    /// The dotted key the problem is about, e.g. `versions[0].coefficients.noc_scale`.
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl SpecError {
    pub(crate) fn new(
        file: &Path,
        line: usize,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        SpecError {
            file: file.to_path_buf(),
            line,
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": `{}`: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

/// Every problem found while loading a spec tree; loading reports them all, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} invalid model spec{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// One spec file's text, mapping byte offsets to 1-based lines.
pub(crate) struct LineIndex {
    text: String,
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text: text.to_string(),
            starts,
        }
    }

    /// The line of the first non-blank character at or after `offset` (spans of tables start
    /// at the blank line before their header).
    pub(crate) fn line(&self, offset: usize) -> usize {
        let skipped = self
            .text
            .get(offset..)
            .map_or(0, |rest| rest.len() - rest.trim_start().len());
        self.starts.partition_point(|&s| s <= offset + skipped)
    }

    /// The key a line defines: `key` of `key = value`, or `table` of a `[table]` header.
    pub(crate) fn key_of_line(&self, line: usize) -> String {
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let text = self.text[start..].lines().next().unwrap_or("").trim();
        if let Some(header) = text.strip_prefix('[') {
            header
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string()
        } else if let Some((key, _)) = text.split_once('=') {
            key.trim().to_string()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_from_one() {
        let idx = LineIndex::new("a\nbb\n\nc");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(6), 4);
        // Blanks before a table header belong to the header's line.
        assert_eq!(idx.line(1), 2);
        assert_eq!(idx.line(5), 4);
    }

    #[test]
    fn key_of_line_reads_keys_and_headers() {
        let idx = LineIndex::new("x = 1\n[a.b]\n[[versions]]\n# note");
        assert_eq!(idx.key_of_line(1), "x");
        assert_eq!(idx.key_of_line(2), "a.b");
        assert_eq!(idx.key_of_line(3), "versions");
        assert_eq!(idx.key_of_line(4), "");
    }
}
