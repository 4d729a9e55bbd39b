"""The official CLI's recorded runs (tests/fixtures/ops/cases and tests/fixtures/ops/env/cases,
see their READMEs), for checking that the Python module sends what the CLI and the Rust SDK send:
the Rust tests (tests/tests/ops_captures.rs, ops_env_captures.rs) hold the SDK to the same
cases. A case's answers are replayed through fake-kosli, its fixture folder ($FIXDIR) is rebuilt
(with the modification times the snapshots reported), and the requests fake-kosli received are
compared with the CLI's: method, target, Authorization, content type, the exact JSON text or the
multipart parts (a snapshot report's entries as a set: the CLI sends a paths spec in Go's random
map order)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import FIXTURES, FakeKosli

OPS = FIXTURES / "ops"
TOKEN = "secret-token-123"
#: The fingerprint of $FIXDIR/fix/app.bin.
FP = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef"


@dataclass
class Case:
    """One run of the CLI: its requests (to Kosli only) and the folder it ran in."""

    name: str
    requests: list[dict[str, Any]]
    root: Path

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    def fill(self, text: str, host: str) -> str:
        root = str(self.root)
        return (
            text.replace("$FIXDIR_REL", root.lstrip("/"))
            .replace("$FIXDIR", root)
            .replace("$KT", str(self.root / "kt"))
            .replace("$HOST", host)
        )

    def payload(self, index: int = 0) -> dict[str, Any]:
        """The JSON the CLI sent in request `index` (a body, or a form's data_json)."""
        request = self.requests[index]
        text = request.get("text")
        if text is None:
            (text,) = [p["text"] for p in request["parts"] if p["name"] == "data_json"]
        value: dict[str, Any] = json.loads(text)
        return value


def load(name: str, root: Path, fake: FakeKosli) -> Case:
    """Case `name` (`env/snapshot_path` for the environment cases), its folder built under
    `root`, and its answers queued on `fake`."""
    kind, _, short = name.rpartition("/")
    base = OPS / "env" if kind == "env" else OPS
    data = json.loads((base / "cases" / f"{short}.json").read_text(encoding="utf-8"))
    requests = [r for r in data["requests"] if r["target"].startswith("/api/v2/")]
    if kind == "env":
        build_env_folder(root, data.get("mtimes") or {})
    else:
        build_ops_folder(root)
    fake.control("POST", "faults", [
        {
            "method": r["method"], "path": r["target"].split("?", 1)[0],
            "status": r["response"]["status"], "raw_body": r["response"]["body_text"],
        }
        for r in requests
    ])  # fmt: skip
    return Case(short, requests, root)


def build_ops_folder(root: Path) -> None:
    """`fix/` (the inputs) and `kt/` (the CLI's test data: a custom type's data, Snyk SARIF)."""
    inputs = OPS / "inputs"
    shutil.copytree(inputs / "fix", root / "fix")
    (root / "kt").mkdir()
    shutil.copy(inputs / "kt" / "person-type-data-example.json", root / "kt")
    sarif = gzip.decompress((inputs / "kt" / "snyk_sarif.json.gz").read_bytes())
    (root / "kt" / "snyk_sarif.json").write_bytes(sarif)


def build_env_folder(root: Path, mtimes: dict[str, int]) -> None:
    """`fix/` with the server tree, `app.bin` and the paths specs, with the case's mtimes."""
    inputs = OPS / "env" / "inputs"
    shutil.copytree(inputs / "server", root / "fix" / "server")
    shutil.copy(inputs / "app.bin", root / "fix" / "app.bin")
    for spec in (inputs / "specs").iterdir():
        text = spec.read_text(encoding="utf-8").replace("$FIXDIR", str(root))
        (root / "fix" / spec.name).write_text(text, encoding="utf-8")
    for rel, t in mtimes.items():
        os.utime(root / rel, (t, t))


def header(record: dict[str, Any], name: str) -> str | None:
    for key, value in record["headers"]:
        if key.lower() == name.lower():
            return str(value)
    return None


def recorded_bytes(v: dict[str, Any]) -> bytes:
    if "text" in v:
        return str(v["text"]).encode()
    if "b64" in v:
        return base64.b64decode(v["b64"])
    return b""


def sorted_report(text: str) -> Any:
    """A snapshot report with its entries sorted (only the set is the CLI's), or None."""
    try:
        value = json.loads(text)
        value["artifacts"].sort(key=lambda a: json.dumps(a["digests"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return value


def check_content(what: str, data: bytes, want: dict[str, Any], case: Case, host: str) -> None:
    if "text" in want:
        got, expected = data.decode(), case.fill(want["text"], host)
        if got != expected:
            report = sorted_report(got)
            assert report is not None and report == sorted_report(expected), (
                f"{what}\n got: {got}\nwant: {expected}"
            )
    elif "b64" in want:
        assert data == base64.b64decode(want["b64"]), what
    elif "sha256" in want:
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (want["sha256"], want["size"]), what


def assert_requests(case: Case, fake: FakeKosli) -> None:
    """fake-kosli received exactly the CLI's requests to Kosli, in order."""
    got = [r for r in fake.requests() if r["path"].startswith("/api/v2/")]
    assert [(r["method"], r["raw_target"]) for r in got] == [
        (w["method"], case.fill(w["target"], fake.url)) for w in case.requests
    ], case.name
    for g, w in zip(got, case.requests):
        what = f"{case.name}: {w['method']} {w['target']}"
        assert header(g, "Authorization") == w["authorization"], what
        content_type = header(g, "Content-Type")
        if w["content_type"] == "multipart/form-data; boundary=<boundary>":
            assert content_type is not None and content_type.startswith("multipart/form-data; boundary=")
        else:
            assert content_type == w["content_type"], what
        if "parts" in w:
            parts = g["multipart"]
            shape = [(p["name"], p["filename"], p["content_type"]) for p in parts]
            assert shape == [(p["name"], p["filename"], p["content_type"]) for p in w["parts"]], what
            for gp, wp in zip(parts, w["parts"]):
                check_content(f"{what}: part {wp['name']}", recorded_bytes(gp), wp, case, fake.url)
        elif "text" in w:
            check_content(f"{what}: body", recorded_bytes(g.get("body") or {}), w, case, fake.url)
        else:
            assert g["body_len"] == 0, what
