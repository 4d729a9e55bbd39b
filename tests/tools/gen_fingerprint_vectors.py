#!/usr/bin/env python3
"""Regenerates tests/fixtures/fingerprint/vectors_extended.json from the official Kosli CLI.

Needs the CLI (v2.43.1); not run in CI. The cargo test `fingerprint_vectors` checks the SDK
against the file this writes.

    python3 tests/tools/gen_fingerprint_vectors.py [--cli PATH] [--example PATH] [--out FILE]

It builds the corpus with the committed tests/fixtures/fingerprint/make_corpus.sh into a temp
dir, runs `kosli fingerprint` once per case (cwd = <corpus>/<cwd>) and records what the CLI
printed: the digest, or the error and exit code, plus `cli_stderr` when a digest came with a
warning. A case the CLI does not finish within --timeout seconds (FIFOs) is recorded as
`informational` with `timed_out`. Cases already in vectors.json (same type, path, cwd and
flag values) are left out.

With --example (the SDK's `kosli` example binary) every case is also run through it, and a
case where the two disagree is written with a `known_disagreement` field holding what the SDK
printed, so the cargo test shows it as a known disagreement until the SDK is fixed.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "fingerprint"))
DEFAULT_CLI = "/tmp/kcli/node_modules/@kosli/cli-linux-x64/bin/kosli"

NFC_CAFE = "caf\u00e9"
NFD_CAFE = "cafe\u0301"


def case(name, path, *excl, kind="dir", cwd=".", note=None, names=None):
    """One vector to generate; `names` are substrings the SDK's error message must contain."""
    c = {"case": name, "artifact_type": kind, "path": path, "cwd": cwd, "cli_exclude_args": list(excl)}
    if note:
        c["note"] = note
    if names:
        c["error_names"] = list(names)
    return c


def excl(name, *patterns, path="dirs/excl", cwd=".", note=None, names=None):
    return case("excl3/" + name, path, *patterns, cwd=cwd, note=note, names=names)


def explicit_cases():
    """Hand-picked cases: each quirk of fingerprint.md section 3, and the corpus' special trees."""
    c = []
    # --- file type: every odd input
    c += [
        case("file3/dev_null", "/dev/null", kind="file"),
        case("file3/link_to_devnull", "files/link_to_devnull", kind="file"),
        case("file3/broken_link", "files/broken_link", kind="file"),
        case("file3/is_a_directory", "dirs/basic", kind="file"),
        case("file3/socket", "dirs/special_socket/sock", kind="file"),
        case("file3/symlink_loop", "dirs/symlink_loop/loop1", kind="file"),
        case("file3/symlink_self", "dirs/symlink_self/self", kind="file"),
        case("file3/empty_exclude_value", "files/one_byte", "", kind="file", names=["--exclude"]),
        case("file3/relative_dotdot", "../files/one_byte", kind="file", cwd="dirs"),
        case("file3/nfd_name", "dirs/unicode/" + NFD_CAFE, kind="file"),
    ]
    # --- spellings of the root path
    c += [
        case("root3/trailing_slash", "dirs/excl/", "logs", "**/*.log"),
        case("root3/double_slash", "dirs//excl", "logs", "**/*.log"),
        case("root3/dot_slash_prefix", "./dirs/excl", "logs", "**/*.log"),
        case("root3/dotdot_inside", "dirs/../dirs/excl", "logs", "**/*.log"),
        case("root3/dot_suffix_doublestar", "dirs/excl/.", "**/*.log"),
        case("root3/cwd_dot", ".", cwd="dirs/excl"),
        case("root3/cwd_dot_slash", "./", cwd="dirs/excl"),
        case("root3/cwd_dotdot", "..", cwd="dirs/excl/src"),
        case("root3/link_no_slash_with_exclude", "dirs/root_link_to_basic", "a.txt"),
        case("root3/link_dot_suffix", "dirs/root_link_to_basic/."),
        case("root3/link_trailing_slash_exclude", "dirs/root_link_to_basic/", "a.txt"),
        case("root3/missing_dir", "dirs/nope"),
        case("root3/missing_dir_with_bad_glob", "dirs/nope", "["),
        case("root3/file_as_dir_with_bad_glob", "files/one_byte", "["),
        case("root3/broken_link_as_dir", "files/broken_link"),
        case("root3/loop_as_dir", "dirs/symlink_loop/loop1"),
        case("root3/socket_as_dir", "dirs/special_socket/sock"),
        case("root3/devnull_as_dir", "/dev/null"),
        case("root3/empty_value_missing_dir", "dirs/nope", "", names=["--exclude"]),
    ]
    # --- '.' and './' roots: '**' patterns starting with '**' silently match nothing
    for p, tag in ((".", "dot"), ("./", "dotslash")):
        for pat, ptag in (("**/*.log", "log"), ("**", "all"), ("**/*", "all_children"),
                          ("**/logs", "logs"), ("**/deep.log", "deep"), ("src/**", "src"),
                          ("logs", "plain_logs"), ("*.log", "top_log"), ("*/*.log", "one_down"),
                          ("logs/**/*.txt", "logs_txt")):
            c.append(excl(f"cwd_{tag}_{ptag}", pat, path=p, cwd="dirs/excl"))
    c += [
        excl("cwd_dotdot_src_doublestar", "**/*.log", path="..", cwd="dirs/excl/src"),
        excl("cwd_dotdot_src_logs", "logs", path="..", cwd="dirs/excl/src"),
        excl("cwd_dotdot_name_doublestar_literal", "**/logs", path="../excl", cwd="dirs/excl"),
        excl("cwd_dotdot_name_all", "**", path="../excl", cwd="dirs/excl"),
    ]
    # --- '**' forms
    for pat, tag in (("**", "alone"), ("**/*", "all_children"), ("**/", "trailing_slash"),
                     ("src/**", "src"), ("src/**/", "src_slash"), ("logs/**", "logs"),
                     ("src/**/*.log", "src_log"), ("src/**/deep.log", "src_deep_literal"),
                     ("**/x/**", "x_children"), ("**/src/**", "src_any"), ("**/tmp.log", "top_literal"),
                     ("**/*.py", "py"), ("**/[a-c]*", "class"), ("**/?ain.*", "question"),
                     ("**/logs/", "logs_slash"), ("**/logs/*", "logs_children"),
                     ("**/out", "out_nested_literal"), ("**/*.log/", "log_slash"),
                     ("***", "triple_star"), ("**.log", "doublestar_suffix"), ("src**", "src_prefix"),
                     ("**/**/*.log", "twice"), ("*/**", "star_doublestar"), ("**/pkg/index.js", "deep_path"),
                     ("build/**/bin", "build_bin"), ("**/LOGS_upper", "upper")):
        c.append(excl(f"doublestar_{tag}", pat))
    # --- trailing slashes, dots, '..' re-entering the root, absolute-looking patterns
    for pat, tag in (("src/x/", "nested_dir"), ("*/", "star"), ("logs//", "double"),
                     ("./logs", "dot_prefix"), ("logs/.", "dot_suffix"), ("src/../logs", "dotdot_inside"),
                     ("*.log/", "star_log"), (".", "root_itself"), ("..", "parent"),
                     ("../excl/logs", "reenter_literal"), ("../excl/**/*.log", "reenter_doublestar"),
                     ("../excl/*", "reenter_star"), ("../*/logs", "reenter_glob_root"),
                     ("../basic/a.txt", "sibling"), ("/src/x/deep.log", "leading_slash_deep"),
                     ("//logs", "two_leading_slashes"), ("src/x/deep.log", "literal_deep"),
                     ("build/out", "literal_nested_dir"), ("nope", "missing_literal"),
                     ("nope/*", "missing_glob")):
        c.append(excl(f"path_{tag}", pat))
    # --- classes
    for pat, tag in (("[a-c]*", "range"), ("[^a]*", "caret_negation"), ("[!a]*", "bang_is_literal"),
                     ("[A-Z]*", "upper"), ("[A-Z][A-Z]*", "two_upper"), ("brack[[]1]", "open_bracket_in_class"),
                     ("brack[1]", "unescaped_brackets"), ("[.]*", "dot_class"), ("*[0-9]*", "digit"),
                     ("[a-a]pp.py", "single_range"), ("[\\a]pp.py", "escaped_in_class"),
                     ("[]a]*", "bracket_first"), ("[a-]*", "dangling_range"), ("[", "open"),
                     ("[a-z", "unclosed"), ("[^]*", "empty_negation"), ("[z-a]*", "reversed_range")):
        names = [pat] if tag in ("bracket_first", "dangling_range", "open", "unclosed", "empty_negation") else None
        c.append(excl(f"class_{tag}", pat, names=names))
    # --- escapes
    for pat, tag in (("brack\\[1\\]", "brackets"), ("app\\.py", "ordinary_char"), ("\\*", "star"),
                     ("READ\\ME.md", "letter"), ("logs\\", "trailing_backslash"),
                     ("logs/a\\.log", "nested"), ("comma\\,file", "comma")):
        names = [pat] if tag == "trailing_backslash" else None
        c.append(excl(f"escape_{tag}", pat, names=names))
    # --- '*' and '?' basics, case, comma lists, several flags, bad pattern after a good one
    for pat, tag in (("*.log", "top_log"), ("*/*.log", "one_down"), ("*/*/*.log", "two_down"),
                     ("*", "star"), ("*/*", "star_star"), ("?", "one_char"), ("????", "four_chars"),
                     ("*.LOG", "case"), ("a.log.d", "dir_name_like_glob"), ("*.log*", "log_infix"),
                     ("logs/*.txt", "logs_txt")):
        c.append(excl(f"glob_{tag}", pat))
    c += [
        excl("csv_two", "logs,src"),
        excl("csv_three_and_flag", "logs,src,build", "node_modules"),
        excl("csv_quoted_and_plain", '"comma,file",logs'),
        excl("csv_doubled_quote", '"a""b"'),
        excl("csv_space_kept", " logs"),
        excl("csv_empty_middle", "a,,b", names=["--exclude"]),
        excl("csv_lone_comma", ",", names=["--exclude"]),
        excl("csv_trailing_comma", "logs,", names=["--exclude"]),
        excl("csv_bare_quote", 'a"b', names=['a"b']),
        excl("csv_unclosed_quote", '"logs', names=['"logs']),
        excl("bad_after_good", "logs", "[", names=["["]),
        excl("bad_in_csv", "logs,[a-", names=["[a-"]),
        excl("duplicates", "logs", "logs", "logs/*"),
    ]
    # --- unicode: '?' is one code point, NFC and NFD differ
    for pat, tag in (("caf?", "q_nfc_only"), ("caf??", "qq_nfd_only"), ("cafe?", "e_q_nfd"),
                     (NFC_CAFE, "literal_nfc"), ("caf[\u00e9]", "class_nfc"), ("caf[e]?", "class_e_nfd"),
                     ("*/*.txt", "nested_txt"), ("\u65e5\u672c\u8a9e/*", "jp_children"),
                     ("emoji_?", "emoji_question"), ("[\u65e5]*", "class_cjk"), ("caf*", "star_both"),
                     ("**/\u30d5\u30a1\u30a4\u30eb.txt", "doublestar_jp")):
        c.append(excl(f"unicode_{tag}", pat, path="dirs/unicode"))
    # --- odd names
    for pat, tag in ((" leading", "leading_space"), ("trailing ", "trailing_space"),
                     ("with space", "dir_with_space"), ("with space/*", "children_with_space"),
                     ("hash#name", "hash"), ('"comma,name"', "quoted_comma"), ("comma,name", "split_comma"),
                     ("tab\tname", "tab"), ("new?_line", "newline_q"), ("new\n_line", "newline_literal"),
                     ("*[ ]*", "space_class"), ('"*,*"', "star_comma")):
        c.append(excl(f"names_{tag}", pat, path="dirs/spaces"))
    for pat, tag in (("[a-z]*", "lower"), ("?", "one_char"), ("??", "two_chars"), ("[0-9]*", "digits"),
                     ("\u00c4", "umlaut"), ("*.txt", "txt"), ("a*", "a_prefix"), ("a/*", "a_children"),
                     ("a?b", "a_q_b"), ("[^a-z]*", "not_lower")):
        c.append(excl(f"ordering_{tag}", pat, path="dirs/ordering"))
    for pat, tag in (("*", "star_hits_dotfiles"), (".*", "dot_star"), (".git", "git"), (".git/**", "git_children"),
                     ("**/.git", "doublestar_git_top"), (".hidden/*", "hidden_children"), ("**/h.txt", "deep_h")):
        c.append(excl(f"dotfiles_{tag}", pat, path="dirs/dotfiles"))
    for pat, tag in (("l1/l2/l3/**", "deep_children"), ("**/l5", "literal_mid"), ("**/leaf.txt", "leaf"),
                     ("l1/*/l3", "star_mid"), ("*/*/*/l4", "stars"), ("**/l8/*", "l8_children")):
        c.append(excl(f"deep_{tag}", pat, path="dirs/deep"))
    for pat, tag in (("e?", "q"), ("sub/e3", "literal"), ("**/e3", "doublestar"), ("sub", "dir")):
        c.append(excl(f"empty_files_{tag}", pat, path="dirs/empty_files"))
    # --- symlinks and special files
    c += [
        excl("symlink_dir_link", "link", path="dirs/symlink_dir"),
        excl("symlink_dir_real", "real", path="dirs/symlink_dir"),
        excl("symlink_dir_all", "**", path="dirs/symlink_dir"),
        excl("symlink_dir_all_children", "**/*", path="dirs/symlink_dir"),
        excl("symlink_dir_link_children", "link/*", path="dirs/symlink_dir",
             note="glob does not descend into the link's target as walk paths"),
        excl("ancestor_up", "sub/up", path="dirs/symlink_dir_ancestor"),
        excl("ancestor_doublestar_up", "**/up", path="dirs/symlink_dir_ancestor"),
        excl("ancestor_through_link", "sub/up/sub", path="dirs/symlink_dir_ancestor"),
        excl("symlink_file_link", "link.txt", path="dirs/symlink_file"),
        excl("symlink_file_outside", "outside_link", path="dirs/symlink_file"),
        excl("symlink_self_excluded", "self", path="dirs/symlink_self"),
        excl("symlink_loop_one_excluded", "loop1", path="dirs/symlink_loop"),
        excl("symlink_broken_glob", "b*", path="dirs/symlink_broken"),
        excl("symlink_broken_doublestar_top", "**/broken", path="dirs/symlink_broken",
             note="top-level literal after ** does not match, so the broken link still fails"),
        excl("devnull_excluded", "null", path="dirs/symlink_devnull"),
        excl("socket_excluded", "sock", path="dirs/special_socket"),
        excl("socket_glob", "s*", path="dirs/special_socket"),
        excl("fifo_excluded", "fifo", path="dirs/special_fifo"),
        excl("fifo_glob", "f*", path="dirs/special_fifo"),
        excl("fifo_doublestar_top_literal", "**/fifo", path="dirs/special_fifo",
             note="top-level literal after ** does not match: the CLI still opens the FIFO"),
        excl("files_tree_devnull_and_broken", "broken_link,link_to_devnull", path="files"),
        excl("files_tree_links", "*link*", path="files"),
    ]
    # --- .kosli_ignore: self rules, the flag warning, CRLF, bad globs, nested files
    c += [
        excl("ki_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore"),
        excl("ki_flag_star", "*", path="dirs/kosli_ignore"),
        excl("ki_flag_dot_star", ".*", path="dirs/kosli_ignore"),
        excl("ki_flag_doublestar_prefix_glob", "**/.kosli_*", path="dirs/kosli_ignore"),
        excl("ki_flag_doublestar_literal", "**/.kosli_ignore", path="dirs/kosli_ignore",
             note="top-level literal after ** does not match: no warning"),
        excl("ki_flag_all", "**", path="dirs/kosli_ignore"),
        excl("ki_flag_src_children", "src/**", path="dirs/kosli_ignore"),
        excl("ki_flag_build", "build", path="dirs/kosli_ignore"),
        excl("ki_cwd_dot", ".", path=".", cwd="dirs/kosli_ignore",
             note="root '.': the file's '**/*.log' matches nothing"),
        excl("ki_cwd_dot_flag_ignore_file", ".kosli_ignore", path=".", cwd="dirs/kosli_ignore"),
        excl("ki_cwd_dotslash_flag_ignore_file", ".kosli_ignore", path="./", cwd="dirs/kosli_ignore"),
        excl("ki_trailing_slash_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore/"),
        excl("ki_dotdot_root_flag_ignore_file", ".kosli_ignore", path="../kosli_ignore", cwd="dirs/excl"),
        excl("ki_self_flag", ".kosli_ignore", path="dirs/kosli_ignore_self"),
        excl("ki_self_flag_secret", "secret", path="dirs/kosli_ignore_self"),
        excl("ki_star_flag_star", "*", path="dirs/kosli_ignore_star"),
        excl("ki_star_flag_public", "public", path="dirs/kosli_ignore_star"),
        excl("ki_doublestar_self_flag", ".kosli_ignore", path="dirs/kosli_ignore_doublestar_self"),
        excl("ki_doublestar_self_flag_sub", "sub/.kosli_ignore", path="dirs/kosli_ignore_doublestar_self"),
        excl("ki_crlf_flag", "public", path="dirs/kosli_ignore_crlf"),
        excl("ki_crlf_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore_crlf"),
        excl("ki_nested_flag", "sub/.kosli_ignore", path="dirs/kosli_ignore_nested"),
        excl("ki_nested_doublestar", "**/.kosli_ignore", path="dirs/kosli_ignore_nested"),
        excl("ki_nested_flag_secret", "sub/secret", path="dirs/kosli_ignore_nested"),
        excl("ki_empty_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore_empty",
             note="the warning is printed even though the ignore file has no rules"),
        excl("ki_comments_only_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore_comments_only"),
        excl("ki_is_dir_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore_is_dir",
             note=".kosli_ignore is a directory: excluded, no warning"),
        excl("ki_is_dir_flag_children", ".kosli_ignore/*", path="dirs/kosli_ignore_is_dir"),
        excl("ki_missing_flag_ignore_file", ".kosli_ignore", path="dirs/basic",
             note="no ignore file: no warning"),
        excl("ki_bad_glob_flag_public", "public", path="dirs/kosli_ignore_bad_glob",
             names=["[", ".kosli_ignore"]),
        excl("ki_bad_glob_flag_ignore_file", ".kosli_ignore", path="dirs/kosli_ignore_bad_glob",
             note="excluding the file does not stop its rules being read", names=["[", ".kosli_ignore"]),
        excl("ki_bad_glob_flag_bad", "[a-", path="dirs/kosli_ignore_bad_glob", names=["["]),
    ]
    # --- the project's extra trees (make_corpus_extra.sh) with flags
    c += [
        case("extra3/long_line_flag_bad", "extra/ignore_line_65536_lf", "[", names=["["],
             note="flag patterns are expanded before the ignore file is read"),
        case("extra3/long_line_flag_ignore_file", "extra/ignore_line_65536_lf", ".kosli_ignore",
             names=[".kosli_ignore"], note="the warning comes before the read error"),
        case("extra3/long_line_ok_flag_b", "extra/ignore_line_65535_lf", "b"),
        case("extra3/broken_link_flag_ignore_file", "extra/ignore_and_broken_link", ".kosli_ignore",
             note="the warning comes before the walk fails"),
        case("extra3/broken_link_excluded_flag_ignore_file", "extra/ignore_and_broken_link",
             ".kosli_ignore,zz_*"),
        case("extra3/fifo_ignore_flag_excluded", "extra/ignore_fifo", ".kosli_ignore",
             note="excluding the FIFO ignore file does not stop it being read"),
        case("extra3/link_to_file_flag_ignore_file", "extra/ignore_link_to_file", ".kosli_ignore"),
        case("extra3/link_to_dir_flag_ignore_file", "extra/ignore_link_to_dir", ".kosli_ignore"),
    ]
    # --- more glob corners: '**' inside a component, '..' inside patterns, classes
    for pat, tag in (("lo**", "doublestar_suffix_in_name"), ("**gs", "doublestar_prefix_in_name"),
                     ("a**b", "doublestar_inside_name"), ("src**", "src_doublestar_glued"),
                     ("**src", "doublestar_src_glued"), ("*[\u00e9]*", "class_nonascii"),
                     ("[a-\u00e9]*", "range_to_nonascii"), ("[^\u00e9]*", "negated_nonascii"),
                     ("**/brack\\[1\\]", "doublestar_escaped"), ("src/x/../../logs", "dotdot_twice"),
                     ("../excl/../excl/logs", "reenter_twice"), ("logs/../src/x", "dotdot_sibling"),
                     ("**/../logs", "doublestar_dotdot"), ("**/..", "doublestar_parent"),
                     ("src/**/..", "src_doublestar_parent"), ("**/.", "doublestar_dot"), ("*/.", "star_dot"),
                     ("[!]", "bang_only_class"), ("[\\]", "escaped_close_unclosed"), ("[\\\\]*", "escaped_backslash_class"),
                     ("\\\\", "escaped_backslash"), ("a[", "open_after_char"), ("**/[", "doublestar_open"),
                     ("[[:alpha:]]*", "posix_class_is_literal"), ("\\brack[1]", "escape_then_class"),
                     ("*\\", "star_trailing_backslash"), ("**/**", "doublestar_twice"),
                     ("**/*/**", "doublestar_star_doublestar")):
        names = [pat] if tag in ("escaped_close_unclosed", "open_after_char", "doublestar_open",
                                 "star_trailing_backslash") else None
        c.append(excl(f"corner_{tag}", pat, names=names))
    for root, tag in (("dirs/./excl", "dot_inside"), ("dirs/excl//", "two_trailing_slashes"),
                      ("./dirs//excl/", "mixed")):
        c.append(case(f"root3/{tag}", root, "logs", "**/*.log", "src/**"))
    # --- roots whose own names hold glob metacharacters
    c += [
        excl("meta_logs", "logs", path="dirs/meta[1]", note="root is part of the glob: matches nothing"),
        excl("meta_star", "*", path="dirs/meta[1]"),
        excl("meta_all", "**", path="dirs/meta[1]"),
        excl("meta_ignore_file", ".kosli_ignore", path="dirs/meta[1]", note="no match, so no warning"),
        excl("meta_bad", "[", path="dirs/meta[1]", names=["["]),
        excl("meta_cwd_dot", "logs", path=".", cwd="dirs/meta[1]", note="spelled '.', the root has no metachar"),
        excl("meta_cwd_dot_no_flags", path=".", cwd="dirs/meta[1]"),
        excl("meta_plain_cwd_dot", "logs", path=".", cwd="dirs/meta_plain"),
        excl("meta_relative_name", "logs", path="meta[1]", cwd="dirs"),
        excl("star_logs", "logs", path="dirs/star*dir"),
        excl("star_star", "*", path="dirs/star*dir"),
        excl("star_doublestar_txt", "**/*.txt", path="dirs/star*dir"),
        excl("star_doublestar_literal", "**/l.txt", path="dirs/star*dir"),
        excl("star_all", "**", path="dirs/star*dir"),
        excl("star_relative", "logs", path="star*dir", cwd="dirs"),
        excl("star_cwd_dot", "logs", path=".", cwd="dirs/star*dir"),
    ]
    return c


def corpus_cases(corpus, sample_keys):
    """A plain case for every dirs/* and files/* entry of the corpus that the sample lacks."""
    out = []
    # The bad pattern comes from the ignore file: the SDK's message names it and the file.
    names = {"kosli_ignore_bad_glob": ["[", ".kosli_ignore"]}
    long_line = [".kosli_ignore"]
    extra_names = {n: long_line for n in ("ignore_line_65536_lf", "ignore_line_65536_eof",
                                          "ignore_line_65535_crlf", "ignore_line_long_first",
                                          "ignore_bad_glob_then_long")}
    for name in sorted(os.listdir(os.path.join(corpus, "dirs"))):
        out.append(case("dir3/" + name, "dirs/" + name, names=names.get(name)))
    for name in sorted(os.listdir(os.path.join(corpus, "extra"))):
        if os.path.isdir(os.path.join(corpus, "extra", name)):
            out.append(case("extra/" + name, "extra/" + name, names=extra_names.get(name)))
    for name in sorted(os.listdir(os.path.join(corpus, "files"))):
        out.append(case("file3/" + name, "files/" + name, kind="file"))
    return [c for c in out if key(c) not in sample_keys]


def key(v):
    return (v["artifact_type"], v["path"], v["cwd"], tuple(v["cli_exclude_args"]))


def split_like_pflag(values):
    """The patterns the CLI uses: each value is one CSV record. Unsplittable values stay whole."""
    out = []
    for v in values:
        try:
            rows = list(csv.reader([v.split("\n")[0]], strict=True))
            fields = rows[0] if rows else [""]
        except csv.Error:
            fields = [v]
        out.extend(fields)
    return out


def run(cmd_path, v, corpus, timeout, env):
    args = [cmd_path, "fingerprint", "--artifact-type", v["artifact_type"], v["path"]]
    args += ["--exclude=" + x for x in v["cli_exclude_args"]]
    try:
        p = subprocess.run(args, cwd=os.path.join(corpus, v["cwd"]), env=env, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return (p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
            p.stderr.decode("utf-8", "surrogateescape").strip())


def record(v, result):
    rc, out, err = result
    lines = [l.strip() for l in out.splitlines() if l.strip()]
    if rc is None:
        v["informational"] = "the CLI blocks forever (killed by timeout)"
        v["expected_error"] = {"message": "<no output: the CLI blocks indefinitely>", "exit_code": None,
                               "timed_out": True}
    elif rc == 0:
        v["expected_sha256"] = lines[-1]
        if err:
            v["cli_stderr"] = err
    else:
        v["expected_error"] = {"message": err, "exit_code": rc}
    return v


def outcome(result):
    """What a run showed, for comparing the CLI with the SDK: exit code, digest, warning lines."""
    rc, out, err = result
    if rc is None:
        return "timeout"
    lines = [l.strip() for l in out.splitlines() if l.strip()]
    warnings = [l for l in err.splitlines() if l.startswith("[warning] ")]
    shown = f"digest {lines[-1] if lines else ''}" if rc == 0 else f"error (exit {rc})"
    return shown + "".join(f"; stderr {w!r}" for w in warnings)


def error_line(result):
    return next((l for l in result[2].splitlines() if l.startswith("Error: ")), None)


def describe_error(result):
    line = error_line(result)
    return f" {line!r}" if line else ""


def agree(cli, ours):
    """The SDK agrees when the CLI hangs and the SDK fails (never hangs), or when exit status,
    digest and warnings are equal and so is the error line (a syntax error may name the pattern)."""
    if cli[0] is None:
        return ours[0] not in (0, None)
    if outcome(cli) != outcome(ours):
        return False
    a, b = error_line(cli), error_line(ours)
    syntax = "Error: [kosli fingerprint] syntax error in pattern"
    return a == b or (a == syntax and (b or "").startswith(syntax))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=DEFAULT_CLI)
    ap.add_argument("--example", help="the SDK's kosli example binary, to mark disagreements")
    ap.add_argument("--out", default=os.path.join(FIXTURES, "vectors_extended.json"))
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args()

    version = subprocess.run([a.cli, "version"], capture_output=True, text=True, check=True).stdout.strip()
    sample = json.load(open(os.path.join(FIXTURES, "vectors.json"), encoding="utf-8"))
    sample_keys = {key(v) for v in sample}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus")
        for script in ("make_corpus.sh", "make_corpus_extra.sh"):
            subprocess.run(["bash", os.path.join(FIXTURES, script), corpus], check=True,
                           stdout=subprocess.DEVNULL)
        # A clean environment: no config file or KOSLI_* variable can change what the CLI does.
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "LC_ALL": "C.UTF-8"}
        cases = corpus_cases(corpus, sample_keys) + explicit_cases()
        seen, vectors, disagreements = set(), [], 0
        for c in cases:
            if key(c) in sample_keys or key(c) in seen:
                continue
            seen.add(key(c))
            c["excludes"] = split_like_pflag(c["cli_exclude_args"])
            cli = run(a.cli, c, corpus, a.timeout, env)
            v = record(dict(c), cli)
            if a.example:
                ours = run(a.example, c, corpus, a.timeout, env)
                if not agree(cli, ours):
                    rc, out, err = ours
                    v["known_disagreement"] = {
                        "what": f"CLI: {outcome(cli)}{describe_error(cli)}. "
                                f"SDK example: {outcome(ours)}{describe_error(ours)}",
                        "sdk_exit_code": rc,
                        "sdk_stdout": out.strip(),
                        "sdk_stderr": err,
                    }
                    disagreements += 1
                    print(f"DISAGREE {c['case']}: cli={outcome(cli)!r} sdk={outcome(ours)!r}", file=sys.stderr)
            vectors.append(v)
    order = ["case", "artifact_type", "path", "cwd", "excludes", "cli_exclude_args", "note", "error_names",
             "informational", "expected_sha256", "expected_error", "cli_stderr", "known_disagreement"]
    vectors = [{k: v[k] for k in order if k in v} for v in vectors]
    doc = {
        "generated_by": "tests/tools/gen_fingerprint_vectors.py",
        "cli_version": version,
        "corpus": "tests/fixtures/fingerprint/make_corpus.sh",
        "vectors": vectors,
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    n_err = sum("expected_error" in v and "informational" not in v for v in vectors)
    n_info = sum("informational" in v for v in vectors)
    n_warn = sum("cli_stderr" in v for v in vectors)
    print(f"wrote {len(vectors)} vectors ({n_err} errors, {n_info} informational, {n_warn} with warnings, "
          f"{disagreements} disagreements) to {a.out}")


if __name__ == "__main__":
    main()
