#!/usr/bin/env python3
"""Fingerprints random trees with the official Kosli CLI and the SDK's `kosli` example and
reports where they agree.

    cargo build --release --example kosli
    python3 tests/tools/compare_random_trees.py [-n 200] [--seed 1] [--record] [--sample K]

Each tree (nested dirs, files of random sizes, names with spaces/unicode/dots/metacharacters,
symlinks to files and dirs, empty dirs, sometimes a `.kosli_ignore`) gets random exclude values
(literals, `*`, `?`, classes, `**/x`, `x/**`, trailing slashes, comma lists) and a random
spelling of its path (`t`, `t/`, `./t`, `t/.`, `.` from inside, `tl/` and `tl` through a symlink `tl -> t`). Both programs run on it; the
digest, exit status and `[warning]` lines must be equal (a syntax error's text may differ: the
SDK names the pattern).

Tree i of seed s is built from `random.Random(f"{s}-{i}")`, so one tree can be rebuilt alone
(`--only i`). A tree is described by a recipe (a list of operations) that the cargo test
`fingerprint_random_regressions` can rebuild without Python.

--record writes every disagreement, plus the first --sample trees, with the CLI's answer to
tests/fixtures/fingerprint/random_regressions.json (replacing entries of the same seed).
Needs the CLI; not run in CI.
"""

import argparse
import collections
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "fingerprint"))
DEFAULT_CLI = "/tmp/kcli/node_modules/@kosli/cli-linux-x64/bin/kosli"
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "kosli-target")
DEFAULT_EXAMPLE = os.path.join(TARGET, "release", "examples", "kosli")

PLAIN = ["a", "b", "src", "lib", "docs", "build", "out", "logs", "tmp", "x", "y", "z", "A", "B",
         "Z", "data", "node_modules", "10", "9", "_u", "a-b", "a_b", "v1.2"]
EXTS = [".txt", ".log", ".py", ".md", ".bin", ".tmp", ".json", ""]
ODD = ["with space", " lead", "trail ", "caf\u00e9", unicodedata.normalize("NFD", "caf\u00e9"),
       "\u65e5\u672c", "emoji_\U0001F600", "\u00c4rger", ".hidden", ".env", "a.b.c", "...", "a.",
       "..x", "hash#1", "comma,x", "brack[1]", "star*", "q?", "back\\slash", "dash-", "-lead"]
TEXTS = ["hello\n", "x", "line1\r\nline2\r\n", "\u00e9\u00e8\n", "0123456789abcdef", "\x00\x01\x02"]


def pick_name(rng, used):
    for _ in range(50):
        r = rng.random()
        if r < 0.55:
            name = rng.choice(PLAIN) + rng.choice(EXTS)
        elif r < 0.85:
            name = rng.choice(ODD) + (rng.choice(EXTS) if rng.random() < 0.5 else "")
        else:
            name = rng.choice(PLAIN) + str(rng.randrange(100)) + rng.choice(EXTS)
        if name not in used and name not in (".", ".."):
            used.add(name)
            return name
    name = f"n{len(used)}"
    used.add(name)
    return name


def make_recipe(rng):
    """A random tree as operations: dir, file (text repeated to size), symlink."""
    ops, dirs, files = [], [""], []
    n_entries = rng.randint(1, 28)
    used_by_dir = collections.defaultdict(set)
    for _ in range(n_entries):
        parent = rng.choice(dirs) if rng.random() < 0.8 else ""
        name = pick_name(rng, used_by_dir[parent])
        path = f"{parent}/{name}" if parent else name
        kind = rng.random()
        if kind < 0.3 and path.count("/") < 5:
            ops.append({"op": "dir", "path": path})
            dirs.append(path)
        else:
            size = rng.choice([0, 0, 1, 2, 5, 17, 64, 100, 1000, 4096, rng.randrange(300000)])
            ops.append({"op": "file", "path": path, "text": rng.choice(TEXTS), "size": size})
            files.append(path)
    # symlinks: to files, to dirs (various spellings), outside, occasionally broken
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        parent = rng.choice(dirs)
        name = pick_name(rng, used_by_dir[parent])
        path = f"{parent}/{name}" if parent else name
        depth = path.count("/")
        r = rng.random()
        if r < 0.45 and files:
            target = "../" * depth + rng.choice(files)
        elif r < 0.8:
            target_dir = rng.choice(dirs)
            target = ("../" * depth + target_dir) if target_dir else ("." if depth == 0 else "../" * depth)
            if rng.random() < 0.3:
                target = "./" + target
        elif r < 0.9:
            target = "/dev/null"
        elif r < 0.95:
            target = "../" * (depth + 1) + "outside.txt"
        else:
            target = "nowhere"
        ops.append({"op": "symlink", "path": path, "target": target})
    return ops


def top_level(ops):
    return sorted({o["path"].split("/")[0] for o in ops})


def glob_escape(s):
    return "".join("\\" + c if c in "*?[\\" else c for c in s)


def random_pattern(rng, ops, kinds):
    paths = [o["path"] for o in ops]
    names = [p.split("/")[-1] for p in paths]
    exts = sorted({os.path.splitext(n)[1] for n in names if os.path.splitext(n)[1]}) or [".txt"]
    dirs = [o["path"] for o in ops if o["op"] == "dir"] or ["nodir"]
    p = rng.choice(paths) if paths else "x"
    if rng.random() < 0.01:
        kinds["malformed"] += 1
        return rng.choice(["[", "a[b-", "x\\", "[]", glob_escape(p) + "["])
    r = rng.randrange(17)
    name = rng.choice(names) if names else "x"
    kind, pat = {
        0: ("literal", lambda: glob_escape(p)),
        1: ("literal_top", lambda: glob_escape(p.split("/")[0])),
        2: ("star_ext", lambda: "*" + rng.choice(exts)),
        3: ("question", lambda: glob_escape(name[:-1]) + "?" if name else "?"),
        4: ("class", lambda: "[" + rng.choice(["a-c", "^a", "A-Z", "0-9", "._", "a-z"]) + "]*"),
        5: ("doublestar_name", lambda: "**/" + glob_escape(name)),
        6: ("dir_doublestar", lambda: glob_escape(rng.choice(dirs)) + "/**"),
        7: ("doublestar_ext", lambda: "**/*" + rng.choice(exts)),
        8: ("dir_children", lambda: glob_escape(rng.choice(dirs)) + "/*"),
        9: ("trailing_slash", lambda: glob_escape(rng.choice(dirs)) + "/"),
        10: ("dot_prefix", lambda: "./" + glob_escape(p)),
        11: ("missing", lambda: rng.choice(["nope", "nope/*", "**/nope", "x/y/z"])),
        12: ("star", lambda: rng.choice(["*", "*/*", "*/*/*", ".*", "**", "**/*"])),
        13: ("raw_name", lambda: name),  # metacharacters in the name act as glob syntax
        14: ("ignore_file", lambda: rng.choice([".kosli_ignore", "**/.kosli_*", ".kosli*"])),
        15: ("nested_star", lambda: glob_escape(rng.choice(dirs)) + "/*" + rng.choice(exts)),
        16: ("doublestar_mid", lambda: glob_escape(rng.choice(dirs)) + "/**/*" + rng.choice(exts)),
    }[r]
    kinds[kind] += 1
    return pat()


def csv_value(patterns):
    """One --exclude value holding `patterns` as a CSV record (quoting where needed)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(patterns)
    return buf.getvalue()


def random_ignore_file(rng, ops, kinds):
    lines = []
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        if r < 0.15:
            lines.append("# comment " + str(rng.randrange(9)))
        elif r < 0.25:
            lines.append("   ")
        else:
            pat = random_pattern(rng, ops, kinds)
            if "#" in pat:
                continue
            if rng.random() < 0.2:
                pat = "  " + pat + "   # trailing"
            lines.append(pat)
    if rng.random() < 0.15:
        lines.append(".kosli_ignore")
    eol = "\r\n" if rng.random() < 0.2 else "\n"
    return eol.join(lines) + (eol if lines and rng.random() < 0.8 else "")


def make_case(seed, i):
    rng = random.Random(f"{seed}-{i}")
    kinds = collections.Counter()
    ops = make_recipe(rng)
    if rng.random() < 0.3:
        ops.append({"op": "file", "path": ".kosli_ignore", "text": random_ignore_file(rng, ops, kinds), "size": -1})
    values = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        pats = [random_pattern(rng, ops, kinds) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        if len(pats) > 1:
            kinds["comma_list"] += 1
        values.append(csv_value(pats) if len(pats) > 1 or "," in pats[0] or '"' in pats[0] else pats[0])
    spelled, cwd = rng.choice([("t", "."), ("t", "."), ("t/", "."), ("./t", "."), ("t/.", "."), (".", "t")])
    # Later additions draw last, so the trees of earlier seeds stay as they were.
    if rng.random() < 0.08:
        spelled = rng.choice(["tl/", "tl"])  # the root through a symlink (without '/': not walked)
        kinds["root_symlink"] += 1
    dirs = [o["path"] for o in ops if o["op"] == "dir"]
    if dirs and rng.random() < 0.1:
        # a .kosli_ignore below the root is an ordinary file
        ops.append({"op": "file", "path": rng.choice(dirs) + "/.kosli_ignore", "text": "*\n", "size": -1})
        kinds["nested_ignore_file"] += 1
    return {"case": f"random/{seed}-{i}", "artifact_type": "dir", "path": spelled, "cwd": cwd,
            "cli_exclude_args": values, "recipe": ops}, kinds


def build(base, ops):
    """Materialises a recipe under base/t (plus base/outside.txt for links leaving the tree and
    the symlink base/tl -> t)."""
    if os.path.exists(base):
        shutil.rmtree(base)
    root = os.path.join(base, "t")
    os.makedirs(root)
    with open(os.path.join(base, "outside.txt"), "w") as f:
        f.write("outside\n")
    os.symlink("t", os.path.join(base, "tl"))
    for o in ops:
        full = os.path.join(root, o["path"])
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if o["op"] == "dir":
            os.makedirs(full, exist_ok=True)
        elif o["op"] == "file":
            with open(full, "wb") as f:
                f.write(content(o))
        else:
            os.symlink(o["target"], full)


def content(o):
    data = o["text"].encode("utf-8")
    if o["size"] < 0:
        return data
    if not data:
        return b""
    return (data * (o["size"] // len(data) + 1))[: o["size"]]


def run(binary, case, base, timeout):
    args = [binary, "fingerprint", "--artifact-type", "dir", case["path"]]
    args += ["--exclude=" + v for v in case["cli_exclude_args"]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": base, "LC_ALL": "C.UTF-8"}
    try:
        p = subprocess.run(args, cwd=os.path.join(base, case["cwd"]), env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"rc": None, "digest": None, "warnings": [], "error": "<timeout>"}
    out = p.stdout.decode("utf-8", "surrogateescape").split()
    err = p.stderr.decode("utf-8", "surrogateescape")
    return {
        "rc": p.returncode,
        "digest": out[-1] if p.returncode == 0 and out else None,
        "warnings": [l for l in err.splitlines() if l.startswith("[warning] ")],
        "error": next((l for l in err.splitlines() if l.startswith("Error: ")), None),
        "stderr": err.strip(),
    }


def agree(cli, sdk):
    """(agree?, why): digests, exit status and warnings equal; error texts equal except for syntax errors."""
    if cli["rc"] is None:
        return sdk["rc"] not in (0, None), "CLI hung"
    if cli["rc"] != 0 and sdk["rc"] != 0 and cli["warnings"] != sdk["warnings"]:
        return False, "the [warning] printed before the error differs"
    if (cli["rc"] == 0) != (sdk["rc"] == 0) or cli["digest"] != sdk["digest"]:
        return False, "outcome"
    if cli["warnings"] != sdk["warnings"]:
        return False, "warnings"
    if cli["rc"] != 0 and cli["error"] != sdk["error"]:
        if cli["error"] == "Error: [kosli fingerprint] syntax error in pattern" and (sdk["error"] or "").startswith(cli["error"]):
            return True, "syntax error named"
        return False, "error text"
    return True, ""


def expected_fields(case, cli):
    v = dict(case)
    v["excludes"] = None  # filled below
    pats = []
    for value in case["cli_exclude_args"]:
        try:
            pats += next(csv.reader([value], strict=True))
        except (csv.Error, StopIteration):
            pats.append(value)
    v["excludes"] = pats
    if cli["rc"] == 0:
        v["expected_sha256"] = cli["digest"]
        if cli["warnings"]:
            v["cli_stderr"] = "\n".join(cli["warnings"])
    elif cli["rc"] is None:
        v["informational"] = "the CLI blocks forever (killed by timeout)"
    else:
        v["expected_error"] = {"message": cli["stderr"], "exit_code": cli["rc"]}
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=200, help="number of trees (default 200)")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--only", type=int, help="run only tree number ONLY")
    ap.add_argument("--cli", default=DEFAULT_CLI)
    ap.add_argument("--example", default=DEFAULT_EXAMPLE)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--record", action="store_true", help="write disagreements (and --sample trees) as fixtures")
    ap.add_argument("--sample", type=int, default=0, help="with --record: also record the first SAMPLE trees")
    ap.add_argument("--log", help="write one JSON line per tree (case, results) to this file")
    ap.add_argument("--keep", help="build trees under this folder and keep the disagreeing ones")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    for b in (a.cli, a.example):
        if not os.access(b, os.X_OK):
            sys.exit(f"not executable: {b} (build the example: cargo build --release --example kosli)")

    work = a.keep or tempfile.mkdtemp(prefix="kosli-random-trees-")
    os.makedirs(work, exist_ok=True)
    kinds_total = collections.Counter()
    stats = collections.Counter()
    disagreements, recorded = [], []
    log = open(a.log, "w", encoding="utf-8") if a.log else None
    numbers = [a.only] if a.only is not None else range(a.n)
    try:
        for i in numbers:
            case, kinds = make_case(a.seed, i)
            kinds_total.update(kinds)
            base = os.path.join(work, f"tree-{i}")
            build(base, case["recipe"])
            cli = run(a.cli, case, base, a.timeout)
            sdk = run(a.example, case, base, a.timeout)
            ok, why = agree(cli, sdk)
            stats["trees"] += 1
            stats["excludes"] += sum(len(next(csv.reader([v]), [v])) for v in case["cli_exclude_args"])
            stats["digest" if cli["rc"] == 0 else ("hung" if cli["rc"] is None else "error")] += 1
            stats["with_warning"] += bool(cli["warnings"])
            stats["with_ignore_file"] += any(o["path"] == ".kosli_ignore" for o in case["recipe"])
            stats["empty_digest"] += cli["digest"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            if log:
                log.write(json.dumps({"case": case, "cli": cli, "sdk": sdk, "agree": ok}, ensure_ascii=False) + "\n")
            if a.verbose:
                print(f"{case['case']}: {'ok' if ok else 'DISAGREE'} {case['path']!r} {case['cli_exclude_args']!r} -> {cli['digest'] or cli['error']}")
            if not ok:
                disagreements.append((case, cli, sdk, why))
                print(f"DISAGREE {case['case']} ({why}): path {case['path']!r} cwd {case['cwd']!r} "
                      f"excludes {case['cli_exclude_args']!r}\n  CLI: {cli}\n  SDK: {sdk}", file=sys.stderr)
                if a.record:
                    v = expected_fields(case, cli)
                    if why.startswith("the [warning]"):
                        what = (f"{why}: the CLI prints {cli['warnings']} then {cli['error']!r}; "
                                f"the SDK example prints {sdk['warnings']} then {sdk['error']!r}")
                    else:
                        what = f"{why}: CLI {cli['digest'] or cli['error']}, SDK {sdk['digest'] or sdk['error']}"
                    v["known_disagreement"] = {"what": what}
                    recorded.append(v)
            elif a.record and i < a.sample:
                recorded.append(expected_fields(case, cli))
            if ok and not a.keep:
                shutil.rmtree(base)
    finally:
        if log:
            log.close()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"seed {a.seed}: {stats['trees']} trees, {stats['trees'] - len(disagreements)} agree, "
          f"{len(disagreements)} disagree")
    print(f"  CLI outcomes: {stats['digest']} digests ({stats['empty_digest']} empty), {stats['error']} errors, "
          f"{stats['hung']} hung; {stats['with_warning']} with a [warning]; "
          f"{stats['with_ignore_file']} trees had a .kosli_ignore; {stats['excludes']} exclude patterns on flags")
    print("  pattern kinds generated (flags and ignore files): " +
          ", ".join(f"{k}={n}" for k, n in sorted(kinds_total.items())))
    if a.record and recorded:
        path = os.path.join(FIXTURES, "random_regressions.json")
        old = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {"vectors": []}
        prefix = f"random/{a.seed}-"
        keep = [v for v in old["vectors"] if not v["case"].startswith(prefix)]
        doc = {"generated_by": "tests/tools/compare_random_trees.py --record",
               "cli_version": subprocess.run([a.cli, "version"], capture_output=True, text=True).stdout.strip(),
               "vectors": keep + recorded}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"  recorded {len(recorded)} trees in {path}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
