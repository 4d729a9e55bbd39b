//! Properties of directory fingerprints on generated trees (names without glob
//! metacharacters): what must not change the digest, what must, and that the digest is the
//! spec's formula (`fingerprint.md` §2) computed from the tree in memory.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kosli_core::fingerprint::Fingerprinter;
use kosli_core::Fingerprint;
use proptest::prelude::*;
use proptest::sample::Index;

/// The digest of nothing: every entry excluded.
const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A tree in memory: a file's content or a directory's entries by name.
#[derive(Debug, Clone)]
enum Node {
    File(Vec<u8>),
    Dir(BTreeMap<String, Node>),
}

/// Names with spaces, dots, dashes and non-ASCII letters, but none of Go's glob
/// metacharacters (`*?[\`), no `/`, and never `.`, `..` or `.kosli_ignore`.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ._\u{e9}\u{65e5}-]{1,8}".prop_filter("not . or ..", |n| n != "." && n != "..")
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => prop::collection::vec(any::<u8>(), 0..64),
        1 => (any::<u8>(), 0usize..200_000).prop_map(|(b, n)| vec![b; n]),
    ]
}

/// A root directory with up to ~40 entries, nested a few levels.
fn tree() -> impl Strategy<Value = BTreeMap<String, Node>> {
    let leaf = content().prop_map(Node::File);
    let node = leaf.prop_recursive(4, 40, 6, |inner| {
        prop::collection::btree_map(name(), inner, 0..6).prop_map(Node::Dir)
    });
    prop::collection::btree_map(name(), node, 0..8)
}

/// Writes `entries` under `dir`, in name order or in reverse name order.
fn write(dir: &Path, entries: &BTreeMap<String, Node>, reverse: bool) {
    fs::create_dir_all(dir).expect("create dir");
    let mut list: Vec<_> = entries.iter().collect();
    if reverse {
        list.reverse();
    }
    for (name, node) in list {
        match node {
            Node::File(bytes) => fs::write(dir.join(name), bytes).expect("write file"),
            Node::Dir(children) => write(&dir.join(name), children, reverse),
        }
    }
}

/// The spec's digest of a tree: in bytewise name order, each directory contributes
/// hex(H(name)) and then its subtree; each file hex(H(name)) hex(H(content)).
fn model_digest(entries: &BTreeMap<String, Node>) -> String {
    fn stream(entries: &BTreeMap<String, Node>, out: &mut Vec<u8>) {
        // BTreeMap<String> iterates in bytewise order of the UTF-8 names, as the walk sorts.
        for (name, node) in entries {
            out.extend_from_slice(Fingerprint::of_bytes(name.as_bytes()).to_hex().as_bytes());
            match node {
                Node::File(bytes) => {
                    out.extend_from_slice(Fingerprint::of_bytes(bytes).to_hex().as_bytes())
                }
                Node::Dir(children) => stream(children, out),
            }
        }
    }
    let mut s = Vec::new();
    stream(entries, &mut s);
    Fingerprint::of_bytes(&s).to_hex()
}

fn digest(path: &Path, fp: &Fingerprinter) -> String {
    fp.dir(path).expect("fingerprint the tree").to_hex()
}

/// Paths (relative to the root) of the non-empty files of a tree.
fn nonempty_files(entries: &BTreeMap<String, Node>, prefix: &str, out: &mut Vec<String>) {
    for (name, node) in entries {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        match node {
            Node::File(bytes) if !bytes.is_empty() => out.push(path),
            Node::File(_) => {}
            Node::Dir(children) => nonempty_files(children, &path, out),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn digest_is_the_spec_formula(t in tree()) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        write(&root, &t, false);
        prop_assert_eq!(digest(&root, &Fingerprinter::new()), model_digest(&t));
    }

    #[test]
    fn renaming_the_root_keeps_the_digest(t in tree(), new_name in name()) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        write(&root, &t, false);
        let before = digest(&root, &Fingerprinter::new());
        let renamed = tmp.path().join(format!("renamed {new_name}"));
        fs::rename(&root, &renamed).expect("rename root");
        prop_assert_eq!(digest(&renamed, &Fingerprinter::new()), before);
    }

    #[test]
    fn creation_order_does_not_matter(t in tree()) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (forward, backward) = (tmp.path().join("f"), tmp.path().join("b"));
        write(&forward, &t, false);
        write(&backward, &t, true);
        prop_assert_eq!(
            digest(&forward, &Fingerprinter::new()),
            digest(&backward, &Fingerprinter::new())
        );
    }

    #[test]
    fn excluding_every_entry_gives_the_empty_digest(t in tree()) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        write(&root, &t, false);
        prop_assert_eq!(digest(&root, &Fingerprinter::new().exclude("*")), EMPTY);
        prop_assert_eq!(digest(&root, &Fingerprinter::new().exclude("**")), EMPTY);
        let top_level = Fingerprinter::new().excludes(t.keys().cloned());
        prop_assert_eq!(digest(&root, &top_level), EMPTY);
        // ... and excluding all but one entry is not empty.
        if let Some((first, _)) = t.iter().next() {
            let rest = Fingerprinter::new().excludes(t.keys().skip(1).cloned());
            let mut kept = BTreeMap::new();
            kept.insert(first.clone(), t[first].clone());
            prop_assert_eq!(digest(&root, &rest), model_digest(&kept));
        }
    }

    #[test]
    fn changing_one_byte_changes_the_digest(t in tree(), which in any::<Index>(), at in any::<Index>(), flip in 1u8..=255) {
        let mut files = Vec::new();
        nonempty_files(&t, "", &mut files);
        prop_assume!(!files.is_empty());
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        write(&root, &t, false);
        let before = digest(&root, &Fingerprinter::new());
        let file = root.join(which.get(&files));
        let mut bytes = fs::read(&file).expect("read file");
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        fs::write(&file, &bytes).expect("rewrite file");
        prop_assert_ne!(digest(&root, &Fingerprinter::new()), before);
    }

    #[test]
    fn thread_count_does_not_change_the_digest(t in tree()) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        write(&root, &t, false);
        let one = digest(&root, &Fingerprinter::new().threads(1));
        for threads in [2, 3, 8, 32] {
            prop_assert_eq!(&digest(&root, &Fingerprinter::new().threads(threads)), &one, "{} threads", threads);
        }
        prop_assert_eq!(&digest(&root, &Fingerprinter::new()), &one);
    }
}
