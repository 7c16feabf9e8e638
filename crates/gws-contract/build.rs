//! Rebuilds the crate when an embedded schema or fixture changes (`include_dir!` does not tell
//! cargo which files it read).

fn main() {
    println!("cargo:rerun-if-changed=../../schemas");
    println!("cargo:rerun-if-changed=../../fixtures");
}
