//! The screening data (`../shared/screening/`, beside the checkout): the published sanctions
//! lists, read in place, and their import into a test server's database through the same code
//! as `verifyd screening import`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use verifyd_server::screening::{import_with, ImportRequest};

use crate::TestServer;

/// The folder: `$VERIFYD_SCREENING_DATA`, else `shared/screening` beside the checkout or one of
/// its parents.
pub fn screening_data() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("VERIFYD_SCREENING_DATA") {
        return Ok(PathBuf::from(dir));
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for ancestor in checkout.ancestors() {
        let candidate = ancestor.join("shared/screening");
        if candidate.join("README.md").is_file() {
            return Ok(candidate);
        }
    }
    Err(anyhow!(
        "the screening data is not found: put it at ../shared/screening beside the checkout or \
         name it with VERIFYD_SCREENING_DATA"
    ))
}

impl TestServer {
    /// Imports `files` (paths below the screening data) as one list version, on the server's
    /// clock; what the import printed.
    pub async fn import_watchlist(&self, files: &[&str]) -> Result<String> {
        let folder = screening_data()?;
        let request = ImportRequest {
            files: files.iter().map(|file| folder.join(file)).collect(),
            list: None,
            max_shrink: verifyd_domain::service::DEFAULT_MAX_SHRINK,
        };
        import_with(&self.settings, &self.runtime(), request).await
    }
}
