//! Random trees on which the SDK was compared with the official CLI
//! (`tests/tools/compare_random_trees.py --record`): a sample of them and every tree where the
//! two disagreed, rebuilt from their recipes and checked against the CLI's recorded answer.
//!
//! Like `fingerprint_vectors`, this changes the current directory (trees are spelled `t`, `t/`,
//! `./t`, `t/.` or `.`), so it holds exactly one `#[test]`.
#![cfg(unix)]

mod fingerprint_common;

use fingerprint_common::{build_recipe, check_all, load};

#[test]
fn random_trees_match_the_cli() {
    let vectors = load("random_regressions.json");
    assert!(
        vectors.len() >= 40,
        "only {} random trees recorded",
        vectors.len()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut built = 0;
    let report = check_all("random_regressions.json", &vectors, &mut |v| {
        let base = tmp.path().join(format!("tree-{built}"));
        built += 1;
        let recipe = v.recipe.as_deref().expect("a random tree has a recipe");
        build_recipe(&base, recipe);
        base
    });
    report.assert_ok();
}
