"""Fingerprint, ArtifactType and ArtifactRef: typed values."""

from __future__ import annotations

import copy
import hashlib
import pickle

import pytest

import kosli

EMPTY = hashlib.sha256(b"").hexdigest()


def test_fingerprints_parse_compare_hash_and_pickle() -> None:
    fp = kosli.Fingerprint(EMPTY)
    assert str(fp) == EMPTY
    assert repr(fp) == f"Fingerprint('{EMPTY}')"
    assert fp == kosli.Fingerprint(EMPTY)
    assert fp != kosli.Fingerprint("0" * 64)
    assert fp != EMPTY  # a value type, not a str
    assert len({fp, kosli.Fingerprint(EMPTY)}) == 1
    assert kosli.Fingerprint("0" * 64) < fp
    assert pickle.loads(pickle.dumps(fp)) == fp
    assert copy.deepcopy(fp) == fp
    for bad in ("", EMPTY.upper(), EMPTY[:-1], EMPTY + "0", "g" * 64):
        with pytest.raises(kosli.InvalidInputError):
            kosli.Fingerprint(bad)


def test_artifact_types_are_the_clis_names() -> None:
    assert [t.value for t in kosli.ArtifactType] == ["file", "dir", "oci", "docker"]
    assert kosli.ArtifactType("dir") is kosli.ArtifactType.DIR
    assert isinstance(kosli.ArtifactType.DIR, str)
    assert kosli.ArtifactType.DIR.upper() == "DIR"
    assert str(kosli.ArtifactType.OCI) == "oci"


def test_artifact_refs_hold_one_name_fingerprint_and_type() -> None:
    fp = kosli.Fingerprint(EMPTY)
    ref = kosli.ArtifactRef("app.tar", fp, kosli.ArtifactType.FILE)
    assert (ref.name, ref.fingerprint, ref.artifact_type) == ("app.tar", fp, kosli.ArtifactType.FILE)
    assert ref.artifact_type is kosli.ArtifactType.FILE
    assert ref.to_dict() == {"name": "app.tar", "fingerprint": EMPTY, "artifact_type": "file"}
    assert ref == kosli.ArtifactRef("app.tar", EMPTY, "file")
    assert ref != kosli.ArtifactRef("app.tar", EMPTY, "dir")
    assert hash(ref) == hash(kosli.ArtifactRef("app.tar", EMPTY, "file"))
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert repr(ref) == f"ArtifactRef(name='app.tar', fingerprint='{EMPTY}', artifact_type='file')"
    assert eval(repr(ref), {"ArtifactRef": kosli.ArtifactRef}) == ref


def test_bad_artifact_refs_are_refused() -> None:
    with pytest.raises(kosli.InvalidInputError, match="the artifact name must not be empty"):
        kosli.ArtifactRef("  ", EMPTY, "file")
    with pytest.raises(kosli.InvalidInputError, match="zip is not a supported artifact type"):
        kosli.ArtifactRef("a", EMPTY, "zip")
    with pytest.raises(kosli.InvalidInputError, match="not a valid SHA256 fingerprint"):
        kosli.ArtifactRef("a", "abc", "file")
    with pytest.raises(TypeError, match="fingerprint must be"):
        kosli.ArtifactRef("a", 42, "file")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="artifact_type must be"):
        kosli.ArtifactRef("a", EMPTY, 1)  # type: ignore[arg-type]
