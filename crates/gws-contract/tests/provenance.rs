//! Provenance: every fixture is a sample of the documentation page it names. The five pages the
//! product was specified from are kept verbatim in `fixtures/seeds/`; each fixture's text (its
//! original text where it was repaired) must stand in its page, white space aside. A fixture
//! that was re-typed, invented, or edited beyond its recorded errata fails here.

use std::path::PathBuf;

use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn every_fixture_stands_in_its_seed_page() {
    let dir = fixtures_dir();
    let index: Value = serde_json::from_str(&read(&dir.join("index.json"))).unwrap();
    let entries = index["fixtures"]
        .as_array()
        .expect("index.json: fixtures[]");
    assert!(
        entries.len() >= 20,
        "only {} fixtures indexed",
        entries.len()
    );
    let mut checked = 0;
    for entry in entries {
        let file = entry["file"].as_str().unwrap();
        let seed = entry["seed"].as_str().unwrap();
        let page = squeeze(&read(&dir.join("seeds").join(seed)));
        let text_file = match entry["original"].as_str() {
            Some(original) => dir.join(original),
            None => dir.join(file),
        };
        let text = squeeze(&read(&text_file));
        assert!(
            page.contains(&text),
            "{} (for fixture {file}) does not stand in seed page {seed}",
            text_file.display()
        );
        checked += 1;
    }
    assert_eq!(checked, entries.len());
}

#[test]
fn the_check_notices_a_fixture_that_differs_from_its_page() {
    // The same comparison on a sample altered by one character must fail, or the test above
    // could not catch anything.
    let dir = fixtures_dir();
    let page = squeeze(&read(&dir.join("seeds/000_ac2331f629733062.txt")));
    let sample = squeeze(&read(
        &dir.join("facebooksession/accept/2015/1-request.json"),
    ));
    assert!(page.contains(&sample));
    let altered = sample
        .replace("John Doe", "John Doh")
        .replace("JohnDoe", "JohnDoh");
    assert_ne!(altered, sample);
    assert!(!page.contains(&altered));
}
