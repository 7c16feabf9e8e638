//! Provenance: every fixture is a sample of the documentation page it names. The five pages the
//! product was specified from are kept verbatim in `fixtures/seeds/` (an index entry names one as
//! `seed`); every other page is kept verbatim in `fixtures/pages/<media>/<Page>.txt` (named as
//! `page_file`). Each fixture's text (its original text where it was repaired) must stand in its
//! page, white space aside. A fixture that was re-typed, invented, or edited beyond its recorded
//! errata fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn index() -> Vec<Value> {
    let index: Value = serde_json::from_str(&read(&fixtures_dir().join("index.json"))).unwrap();
    index["fixtures"]
        .as_array()
        .expect("index.json: fixtures[]")
        .clone()
}

/// The page file an index entry or erratum names, relative to `fixtures/`: `seeds/<seed>` or its
/// `page_file` (exactly one of the two).
fn page_file_of(entry: &Value, what: &str) -> String {
    match (entry["seed"].as_str(), entry["page_file"].as_str()) {
        (Some(seed), None) => format!("seeds/{seed}"),
        (None, Some(file)) => {
            assert!(
                file.starts_with("pages/") && file.ends_with(".txt"),
                "{what}: page_file {file} is not pages/<media>/<Page>.txt"
            );
            file.to_owned()
        }
        (seed, file) => panic!("{what}: names seed {seed:?} and page_file {file:?}; exactly one"),
    }
}

/// The `#: ` header lines of a page file (the saved page's url, revision, truncation).
fn header(page: &str) -> Vec<&str> {
    page.lines().take_while(|l| l.starts_with("#: ")).collect()
}

/// The page's text without its `#: ` header: the samples must stand in the page itself.
fn body(page: &str) -> &str {
    let header_len: usize = header(page).iter().map(|l| l.len() + 1).sum();
    &page[header_len.min(page.len())..]
}

#[test]
fn every_fixture_stands_in_its_page() {
    let dir = fixtures_dir();
    let entries = index();
    assert!(
        entries.len() >= 60,
        "only {} fixtures indexed",
        entries.len()
    );
    let mut checked = 0;
    for entry in &entries {
        let file = entry["file"].as_str().unwrap();
        let page_file = page_file_of(entry, file);
        let page = squeeze(body(&read(&dir.join(&page_file))));
        let text_file = match entry["original"].as_str() {
            Some(original) => dir.join(original),
            None => dir.join(file),
        };
        let text = squeeze(&read(&text_file));
        assert!(
            page.contains(&text),
            "{} (for fixture {file}) does not stand in page {page_file}",
            text_file.display()
        );
        checked += 1;
    }
    assert_eq!(checked, entries.len());
}

#[test]
fn every_erratum_names_the_page_of_its_fixture() {
    let dir = fixtures_dir();
    let entries = index();
    let errata: Value = serde_json::from_str(&read(&dir.join("errata.json"))).unwrap();
    for e in errata["errata"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let entry = entries
            .iter()
            .find(|f| f["file"] == e["fixture"])
            .unwrap_or_else(|| panic!("{id}: fixture {} is not indexed", e["fixture"]));
        assert_eq!(page_file_of(e, id), page_file_of(entry, id), "{id}");
        for key in ["page", "url", "heading", "original"] {
            assert_eq!(e[key], entry[key], "{id}: {key}");
        }
    }
}

#[test]
fn every_page_file_is_used_and_its_header_matches_the_entries() {
    let dir = fixtures_dir();
    let entries = index();
    let named: BTreeSet<String> = entries
        .iter()
        .map(|e| page_file_of(e, e["file"].as_str().unwrap()))
        .filter(|p| p.starts_with("pages/"))
        .collect();
    let mut on_disk = BTreeSet::new();
    for media in std::fs::read_dir(dir.join("pages")).unwrap() {
        let media = media.unwrap();
        for page in std::fs::read_dir(media.path()).unwrap() {
            let name = page.unwrap().file_name().into_string().unwrap();
            on_disk.insert(format!(
                "pages/{}/{name}",
                media.file_name().into_string().unwrap()
            ));
        }
    }
    assert_eq!(named, on_disk, "page files named by index.json vs on disk");
    // The twelve Reject, Complete, Leave and SendMessage pages, the eight typing pages, the ten
    // pages of messages to the customer or the agents, the three SetDisposition pages and
    // FacebookPMAddComment, the nine user-data pages, the ten pages of second agents,
    // conferences, transfers and resources.
    assert_eq!(on_disk.len(), 12 + 8 + 10 + 4 + 9 + 10);
    for entry in entries.iter().filter(|e| e["page_file"].is_string()) {
        let file = entry["file"].as_str().unwrap();
        let page_file = entry["page_file"].as_str().unwrap();
        let page = read(&dir.join(page_file));
        let header = header(&page);
        // The page file sits under the fixture's media.
        let media = entry["media"].as_str().unwrap();
        assert!(
            page_file.starts_with(&format!("pages/{media}/")),
            "{file}: {page_file}"
        );
        // The entry's URL is the saved page's URL.
        let url = entry["url"].as_str().unwrap();
        assert!(
            header.contains(&format!("#: url: {url}").as_str()),
            "{file}: {page_file} was saved from another URL than {url}"
        );
        // The directory year is the year of the page's revision; `undated` where the saved copy
        // shows no date at all (ChatAttachUserData).
        let year = entry["seed_tag"].as_str().unwrap();
        let edited = header
            .iter()
            .find(|l| l.starts_with("#: last edited: "))
            .unwrap_or_else(|| panic!("{page_file}: no last-edited header"));
        if year == "undated" {
            assert!(
                edited.starts_with("#: last edited: not shown")
                    && !(1990..2100).any(|y| edited.contains(&y.to_string())),
                "{file}: undated, yet {edited}"
            );
        } else {
            assert!(edited.contains(year), "{file}: {year} vs {edited}");
        }
    }
}

#[test]
fn every_fixture_path_follows_the_naming_rule() {
    for entry in index() {
        let file = entry["file"].as_str().unwrap();
        let prefix = format!(
            "{}/{}/{}/{}-{}",
            entry["media"].as_str().unwrap(),
            entry["operation"].as_str().unwrap(),
            entry["seed_tag"].as_str().unwrap(),
            entry["order"],
            entry["kind"].as_str().unwrap()
        );
        assert!(
            file.starts_with(&prefix) && file.ends_with(".json"),
            "{file} is not {prefix}[-what].json"
        );
    }
}

#[test]
fn the_check_notices_a_fixture_that_differs_from_its_page() {
    // The same comparison on a sample altered by one character must fail, or the tests above
    // could not catch anything: once for a seed page, once for a page file.
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

    let page = squeeze(body(&read(&dir.join("pages/smssession/SMSLeave.txt"))));
    let sample = squeeze(&read(&dir.join(
        "smssession/leave/2016/3-notification-status-change-left-chat.original.txt",
    )));
    assert!(page.contains(&sample));
    let altered = sample.replace("\"referenceId\":17", "\"referenceId\":18");
    assert_ne!(altered, sample);
    assert!(!page.contains(&altered));
    // The header is not page text: a sample made of header words would not stand in the page.
    assert!(!page.contains("#:"));
}

/// Brace depth at the end of a page's text, outside double-quoted strings: above 0 when the
/// saved copy stops inside a sample.
fn depth_at_end(page: &str) -> i32 {
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for c in body(page).chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{') => depth += 1,
            (false, _, '}') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The page files of the README table that follows `section` (rows ``| `pages/...` |``).
fn readme_table(readme: &str, section: &str) -> BTreeSet<String> {
    readme
        .split(section)
        .nth(1)
        .unwrap_or_else(|| panic!("README: no section {section:?}"))
        .lines()
        .skip_while(|l| !l.starts_with("| page file |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `pages/"))
        .map(|l| l.split('`').nth(1).unwrap().to_owned())
        .collect()
}

#[test]
fn the_notifications_that_are_no_fixture_are_listed_and_cut_short() {
    // fixtures/README.md lists, per page, the notification cut short in the saved copy (no
    // fixture): exactly the page files whose text stops inside an open JSON object, each saying
    // `truncated: yes`. A page without any notification fixture is either listed there or in the
    // table of pages that print no notification (whose text ends outside any sample).
    let dir = fixtures_dir();
    let readme = read(&dir.join("README.md"));
    let listed = readme_table(&readme, "Samples that are no fixture");
    let printed_none = readme_table(&readme, "Pages that print no notification");
    let entries = index();
    let with_notification: BTreeSet<String> = entries
        .iter()
        .filter(|e| e["kind"] == "notification")
        .filter_map(|e| e["page_file"].as_str().map(String::from))
        .collect();
    let pages: BTreeSet<String> = entries
        .iter()
        .filter_map(|e| e["page_file"].as_str().map(String::from))
        .collect();
    let cut: BTreeSet<String> = pages
        .iter()
        .filter(|p| depth_at_end(&read(&dir.join(p))) > 0)
        .cloned()
        .collect();
    assert_eq!(
        listed, cut,
        "README no-fixture table vs pages cut inside a sample"
    );
    // The nine user-data pages and two 2015 Facebook drafts; ChatConsult, ChatInviteUser (its
    // second notification), ChatRemoveParticipantFromConference, FacebookPMRemovePart and
    // SMSRemoveParticipantFromConference (their second notifications), SMSConsult, SMSInvite.
    assert_eq!(listed.len(), 2 + 9 + 7);
    for page_file in &listed {
        let page = read(&dir.join(page_file));
        assert!(
            header(&page)
                .iter()
                .any(|l| l.starts_with("#: truncated: yes")),
            "{page_file}: listed as cut short, yet not truncated"
        );
    }
    // ChatSingleStepTransfer, FacebookPMTransfer, SMSResources.
    assert_eq!(printed_none.len(), 3);
    for page_file in &printed_none {
        assert!(pages.contains(page_file), "{page_file} is not used");
        assert!(!with_notification.contains(page_file), "{page_file}");
        // At most 0: the FacebookPMTransfer copy opens with a wiki diff table whose lines show
        // two closing braces of the page source.
        let depth = depth_at_end(&read(&dir.join(page_file)));
        assert!(
            depth <= 0,
            "{page_file} ends inside a sample (depth {depth})"
        );
    }
    let without: BTreeSet<String> = pages
        .into_iter()
        .filter(|p| !with_notification.contains(p))
        .collect();
    let explained: BTreeSet<String> = listed.union(&printed_none).cloned().collect();
    assert!(
        without.is_subset(&explained),
        "pages without a notification fixture and not explained in README: {:?}",
        without.difference(&explained).collect::<Vec<_>>()
    );
}
