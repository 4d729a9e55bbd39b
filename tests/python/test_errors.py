"""The exception hierarchy and the one conversion from the core's error."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

import kosli
from kosli import _kosli


def test_every_error_kind_of_the_core_has_its_class() -> None:
    table = _kosli._error_classes()
    assert [kind for kind, _ in table] == [
        "InvalidInput", "Io", "Fingerprint", "Parse", "Config", "Network", "Timeout",
        "Api", "Auth", "NotFound", "Journal", "PolicyDenied", "Cancelled",
    ]  # fmt: skip
    for kind, class_name in table:
        cls = getattr(kosli, class_name)
        assert issubclass(cls, kosli.KosliError)
        assert cls.kind == kind
        assert class_name in kosli.__all__


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (kosli.InvalidInputError, ValueError),
        (kosli.KosliIOError, OSError),
        (kosli.KosliFileNotFoundError, FileNotFoundError),
        (kosli.KosliTimeoutError, TimeoutError),
        (kosli.AuthError, kosli.ApiError),
        (kosli.NotFoundError, kosli.ApiError),
    ],
)
def test_builtins_are_bases_where_they_fit(cls: type, builtin: type) -> None:
    assert issubclass(cls, builtin)
    assert issubclass(cls, kosli.KosliError)


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError) as info:
        kosli.fingerprint_file(missing)
    err = info.value
    assert type(err) is kosli.KosliFileNotFoundError
    assert str(err) == f"open {missing}: no such file or directory"
    assert err.message == str(err)
    assert (err.errno, err.filename, err.strerror) == (2, str(missing), os.strerror(2))
    assert err.kind == "Io"
    # The core's source (the OS error) is kept as the cause.
    cause = err.__cause__
    assert type(cause) is FileNotFoundError
    assert (cause.errno, cause.strerror) == (2, os.strerror(2))


def test_invalid_arguments_are_value_errors_naming_the_argument(tree: Path) -> None:
    with pytest.raises(ValueError, match="threads must be at least 1, not 0") as info:
        kosli.fingerprint_dir(tree, threads=0)
    assert isinstance(info.value, kosli.InvalidInputError)
    assert info.value.what == "threads"
    with pytest.raises(kosli.InvalidInputError, match="an exclude pattern is empty"):
        kosli.fingerprint_dir(tree, [""])
    with pytest.raises(kosli.InvalidInputError, match="not a valid SHA256 fingerprint"):
        kosli.Fingerprint("xyz")


def test_fingerprinting_a_file_as_a_dir_is_a_fingerprint_error(tree: Path) -> None:
    with pytest.raises(kosli.FingerprintError) as info:
        kosli.fingerprint_dir(tree / "a.txt")
    assert info.value.path == str(tree / "a.txt")
    assert str(info.value) == f"{tree / 'a.txt'} is not a directory"


def test_wrong_types_are_type_errors(tree: Path) -> None:
    with pytest.raises(TypeError):
        # A str is a Sequence[str] to a type checker, but one pattern is not a list of its
        # characters: refused at run time.
        kosli.fingerprint_dir(tree, "*.log")
    with pytest.raises(TypeError):
        kosli.fingerprint_file(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="progress must be a callable"):
        kosli.fingerprint_file(tree / "a.txt", progress=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "err",
    [
        kosli.ApiError("boom", status=500),
        kosli.AuthError("no", status=403),
        kosli.NotFoundError("gone"),
        kosli.KosliFileNotFoundError("open x: no such file or directory", errno=2, filename="x"),
        kosli.KosliIOError("read y: broken", errno=None, filename="y"),
        kosli.ParseError("bad", file="r.xml", line=3),
        kosli.PolicyDeniedError("denied", reasons=["r1", "r2"]),
        kosli.InvalidInputError("bad name", what="name"),
        kosli.KosliTimeoutError("too slow"),
        kosli.CancelledError("stopped"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_with_their_details(err: kosli.KosliError) -> None:
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert back.__dict__ == err.__dict__
    if isinstance(err, OSError) and isinstance(back, OSError):
        assert (back.errno, back.strerror, back.filename) == (err.errno, err.strerror, err.filename)


def test_api_errors_carry_status_and_message() -> None:
    err = kosli.NotFoundError("Flow 'x' not found")
    assert (err.status, err.message, str(err)) == (404, "Flow 'x' not found", "Flow 'x' not found")
    assert kosli.AuthError("Unauthorized", status=401).status == 401
