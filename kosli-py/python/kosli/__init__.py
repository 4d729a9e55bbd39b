"""Record software-delivery evidence in Kosli (https://kosli.com) from Python.

A thin layer over the Rust SDK (``kosli-core``): fingerprints identical to the official CLI's,
computed with the GIL released, typed values and typed exceptions::

    import kosli

    fp = kosli.fingerprint_dir("dist/", excludes=["**/*.map"])
    app = kosli.ArtifactRef("dist", fp, kosli.ArtifactType.DIR)

``Client`` has a method for every operation of the core's list: writes return an ``Outcome``
(sent, dry-run, queued in the journal, or per host), reads return typed records (frozen
dataclasses with ``to_dict()``: ``Flow``, ``Environment``, ``Artifact``, ``Verdict``, ...)::

    client = kosli.Client()                      # KOSLI_HOST, KOSLI_API_TOKEN, KOSLI_ORG
    client.attest_artifact("backend", "trail-1", "app", artifact=app)
    verdict = client.assert_artifact(app, environment="prod")
    if not verdict.compliant:
        print(verdict.reasons)
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
from kosli._records import (
    Artifact,
    ArtifactEvent,
    ArtifactLocation,
    ArtifactPage,
    AttestationStatus,
    ComplianceStatus,
    DeliveryFailure,
    Environment,
    EnvironmentList,
    EnvironmentPage,
    Flow,
    FlowCompliance,
    FlowList,
    FlushReport,
    HostFlush,
    HostStatus,
    JournalStatus,
    Pagination,
    PendingRecord,
    PolicyEvaluation,
    RuleDefinition,
    RuleEvaluation,
    Verdict,
)
from kosli._types import (
    ArtifactType,
    GitCommitInfo,
    PrApprover,
    PrCommit,
    PullRequest,
    RepoInfo,
    Severity,
)

#: A progress callback: return ``False`` to cancel (``CancelledError``); raising cancels too,
#: and the exception propagates unchanged. Any other return value (``None``) goes on.
ProgressCallback = Callable[[Progress], object]

__all__ = [
    "ApiError",
    "Artifact",
    "ArtifactEvent",
    "ArtifactLocation",
    "ArtifactPage",
    "ArtifactRef",
    "ArtifactType",
    "AttestationStatus",
    "AuthError",
    "CancelledError",
    "Client",
    "ComplianceStatus",
    "Config",
    "ConfigError",
    "DeliveryFailure",
    "Environment",
    "EnvironmentList",
    "EnvironmentPage",
    "Finding",
    "Fingerprint",
    "FingerprintError",
    "Flow",
    "FlowCompliance",
    "FlowList",
    "FlushReport",
    "GitCommitInfo",
    "HostFlush",
    "HostStatus",
    "InvalidInputError",
    "JournalError",
    "JournalStatus",
    "JunitSummary",
    "KosliError",
    "KosliFileNotFoundError",
    "KosliIOError",
    "KosliTimeoutError",
    "KosliWarning",
    "NetworkError",
    "NotFoundError",
    "Outcome",
    "Pagination",
    "ParseError",
    "PendingRecord",
    "PolicyDeniedError",
    "PolicyEvaluation",
    "PrApprover",
    "PrCommit",
    "Progress",
    "ProgressCallback",
    "PullRequest",
    "RepoInfo",
    "RuleDefinition",
    "RuleEvaluation",
    "ScanSummary",
    "Severity",
    "SuiteSummary",
    "Verdict",
    "fingerprint_dir",
    "fingerprint_file",
    "parse_junit",
    "parse_scan",
    "__version__",
]
