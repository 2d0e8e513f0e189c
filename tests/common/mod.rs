//! Building an edited copy of the workspace, for the tests of what the library's own build
//! does with its specs and formulas (`build_fail.rs`, `toy_op.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the workspace (without `target/` and `.git/`) into `to`.
pub fn copy_workspace(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_workspace(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Runs cargo with `args` in a copy of the workspace made by `prepare` (given the copy's
/// root), in `target/tests/<target>` (kept between runs so dependencies build once).
///
/// Every copy builds the library in the same folders of its target folder (cargo does not hash
/// a workspace member's path), `OUT_DIR` included, and its build script reruns only for files
/// newer than its last run: so one copy at a time per process, each made once the one before
/// has built.
pub fn cargo_in_copy(target: &str, args: &[&str], prepare: impl FnOnce(&Path)) -> Output {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    copy_workspace(root(), dir.path());
    prepare(dir.path());
    let target: PathBuf = root().join("target/tests").join(target);
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("TTNN_PERF_MODELS_DEVICES")
        .output()
        .unwrap()
}
