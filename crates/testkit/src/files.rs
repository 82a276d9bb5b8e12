//! What a test finds on disk below the server's data directory.

use std::path::{Path, PathBuf};

/// Every file below `dir`: the blob tests check what was stored, and what was deleted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect()
}
