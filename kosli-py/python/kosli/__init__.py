"""Record software-delivery evidence in Kosli (https://kosli.com) from Python.

A thin layer over the Rust SDK (``kosli-core``): fingerprints identical to the official CLI's,
computed with the GIL released, typed values and typed exceptions::

    import kosli

    fp = kosli.fingerprint_dir("dist/", excludes=["**/*.map"])
    app = kosli.ArtifactRef("dist", fp, kosli.ArtifactType.DIR)

Only what is implemented is exported: ``Client`` has a method for every operation of the core's
list, and gains the others (with ``Outcome`` for writes) as the core does.
"""

from kosli._errors import (
    ApiError,
    AuthError,
    CancelledError,
    ConfigError,
    FingerprintError,
    InvalidInputError,
    JournalError,
    KosliError,
    KosliFileNotFoundError,
    KosliIOError,
    KosliTimeoutError,
    KosliWarning,
    NetworkError,
    NotFoundError,
    ParseError,
    PolicyDeniedError,
)
from collections.abc import Callable

from kosli._kosli import (
    ArtifactRef,
    Client,
    Config,
    Finding,
    Fingerprint,
    JunitSummary,
    Outcome,
    Progress,
    ScanSummary,
    SuiteSummary,
    __version__,
    fingerprint_dir,
    fingerprint_file,
    parse_junit,
    parse_scan,
)
from kosli._types import ArtifactType, Severity

#: A progress callback: return ``False`` to cancel (``CancelledError``); raising cancels too,
#: and the exception propagates unchanged. Any other return value (``None``) goes on.
ProgressCallback = Callable[[Progress], object]

__all__ = [
    "ApiError",
    "ArtifactRef",
    "ArtifactType",
    "AuthError",
    "CancelledError",
    "Client",
    "Config",
    "ConfigError",
    "Finding",
    "Fingerprint",
    "FingerprintError",
    "InvalidInputError",
    "JournalError",
    "JunitSummary",
    "KosliError",
    "KosliFileNotFoundError",
    "KosliIOError",
    "KosliTimeoutError",
    "KosliWarning",
    "NetworkError",
    "NotFoundError",
    "Outcome",
    "ParseError",
    "PolicyDeniedError",
    "Progress",
    "ProgressCallback",
    "ScanSummary",
    "Severity",
    "SuiteSummary",
    "__version__",
    "fingerprint_dir",
    "fingerprint_file",
    "parse_junit",
    "parse_scan",
]
