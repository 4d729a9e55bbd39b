"""Every API operation of the core's list (kosli_core::operations::ALL) has a Python method."""

from __future__ import annotations

import kosli
from kosli import _kosli

#: Operations the core has and this module does not yet, each with the reason. An entry that
#: gets implemented must be removed (the second test fails otherwise); an operation that is in
#: neither kosli.Client nor this list fails the first test.
PENDING: dict[str, str] = {}


def python_counterpart(name: str) -> object | None:
    method = getattr(kosli.Client, name, None)
    return method if callable(method) else None


def test_every_operation_of_the_core_has_a_python_method() -> None:
    names = _kosli._operation_names()
    assert names, "the core lists no operation"
    missing = [n for n in names if python_counterpart(n) is None and n not in PENDING]
    assert not missing, f"operations with no kosli.Client method: {missing}"


def test_pending_operations_are_really_missing_and_really_in_the_core() -> None:
    names = set(_kosli._operation_names())
    for name in PENDING:
        assert name in names, f"{name} is not an operation of the core any more"
        assert python_counterpart(name) is None, f"{name} is implemented: remove it from PENDING"
