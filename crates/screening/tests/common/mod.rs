//! The shared screening data (`../shared/screening/` beside the checkout), read in place.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use verifyd_screening::{ftm, ofac, un, ListVersion};

/// `$VERIFYD_SCREENING_DATA`, else `shared/screening` beside the checkout or one of its
/// parents (a CI clone sits deeper than the working checkout).
pub fn folder() -> PathBuf {
    if let Some(dir) = std::env::var_os("VERIFYD_SCREENING_DATA") {
        return PathBuf::from(dir);
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for ancestor in checkout.ancestors() {
        let candidate = ancestor.join("shared/screening");
        if candidate.join("README.md").is_file() {
            return candidate;
        }
    }
    panic!(
        "the screening data is not found: put it at ../shared/screening beside the checkout \
         or name it with VERIFYD_SCREENING_DATA"
    )
}

pub fn read(relative: &str) -> Vec<u8> {
    let path = folder().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn ofac_2021() -> ListVersion {
    ofac::parse(
        &read("ofac-2021-07/sdn.csv"),
        Some(&read("ofac-2021-07/alt.csv")),
        Some(&read("ofac-2021-07/add.csv")),
        Some(&read("ofac-2021-07/sdn_comments.csv")),
    )
    .unwrap()
}

pub fn ofac_2024(day: &str) -> ListVersion {
    ofac::parse(
        &read(&format!("ofac-2024-05/sdn-2024-05-{day}.csv")),
        None,
        None,
        None,
    )
    .unwrap()
}

pub fn un_list() -> ListVersion {
    un::parse(&read("un/UN_consolidated.xml")).unwrap()
}

pub fn ftm_list() -> ListVersion {
    ftm::parse(&read("opensanctions/entities.ftm.json")).unwrap()
}
