//! The one check of a JUnit report against the Jenkins xUnit plugin's `junit-10.xsd` (MIT,
//! © 2014 Gregory Boissinot; copy in `tests/data/`), run with `xmllint` (Debian package
//! libxml2-utils; `scripts/setup.sh` installs it). Shared by the runner's and the fault tests.

use std::{path::Path, process::Command};

/// Validates `xml` against `tests/data/junit-10.xsd`; `Err` with xmllint's complaint when it is
/// not valid, or with an install hint when xmllint is missing.
pub fn junit_xsd_check(xml: &str, dir: &Path) -> Result<(), String> {
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/junit-10.xsd");
    let file = dir.join("check-junit.xml");
    std::fs::write(&file, xml).map_err(|e| format!("cannot write the report copy: {e}"))?;
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(&file)
        .output()
        .map_err(|e| {
            format!(
                "xmllint is required to check the JUnit report against junit-10.xsd ({e}); \
                 install it: scripts/setup.sh (or apt-get install libxml2-utils)"
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "JUnit report is not valid against junit-10.xsd: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
