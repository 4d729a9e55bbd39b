from collections.abc import Callable

from kosli._errors import ApiError as ApiError
from kosli._errors import AuthError as AuthError
from kosli._errors import CancelledError as CancelledError
from kosli._errors import ConfigError as ConfigError
from kosli._errors import FingerprintError as FingerprintError
from kosli._errors import InvalidInputError as InvalidInputError
from kosli._errors import JournalError as JournalError
from kosli._errors import KosliError as KosliError
from kosli._errors import KosliFileNotFoundError as KosliFileNotFoundError
from kosli._errors import KosliIOError as KosliIOError
from kosli._errors import KosliTimeoutError as KosliTimeoutError
from kosli._errors import KosliWarning as KosliWarning
from kosli._errors import NetworkError as NetworkError
from kosli._errors import NotFoundError as NotFoundError
from kosli._errors import ParseError as ParseError
from kosli._errors import PolicyDeniedError as PolicyDeniedError
from kosli._kosli import ArtifactRef as ArtifactRef
from kosli._kosli import Client as Client
from kosli._kosli import Config as Config
from kosli._kosli import Finding as Finding
from kosli._kosli import Fingerprint as Fingerprint
from kosli._kosli import JunitSummary as JunitSummary
from kosli._kosli import Outcome as Outcome
from kosli._kosli import Progress as Progress
from kosli._kosli import ScanSummary as ScanSummary
from kosli._kosli import SuiteSummary as SuiteSummary
from kosli._kosli import __version__ as __version__
from kosli._kosli import fingerprint_dir as fingerprint_dir
from kosli._kosli import fingerprint_file as fingerprint_file
from kosli._kosli import parse_junit as parse_junit
from kosli._kosli import parse_scan as parse_scan
from kosli._records import Artifact as Artifact
from kosli._records import ArtifactEvent as ArtifactEvent
from kosli._records import ArtifactLocation as ArtifactLocation
from kosli._records import ArtifactPage as ArtifactPage
from kosli._records import AttestationStatus as AttestationStatus
from kosli._records import ComplianceStatus as ComplianceStatus
from kosli._records import DeliveryFailure as DeliveryFailure
from kosli._records import Environment as Environment
from kosli._records import EnvironmentList as EnvironmentList
from kosli._records import EnvironmentPage as EnvironmentPage
from kosli._records import Flow as Flow
from kosli._records import FlowCompliance as FlowCompliance
from kosli._records import FlowList as FlowList
from kosli._records import FlushReport as FlushReport
from kosli._records import HostFlush as HostFlush
from kosli._records import HostStatus as HostStatus
from kosli._records import JournalStatus as JournalStatus
from kosli._records import Pagination as Pagination
from kosli._records import PendingRecord as PendingRecord
from kosli._records import PolicyEvaluation as PolicyEvaluation
from kosli._records import RuleDefinition as RuleDefinition
from kosli._records import RuleEvaluation as RuleEvaluation
from kosli._records import Verdict as Verdict
from kosli._types import ArtifactType as ArtifactType
from kosli._types import GitCommitInfo as GitCommitInfo
from kosli._types import PrApprover as PrApprover
from kosli._types import PrCommit as PrCommit
from kosli._types import PullRequest as PullRequest
from kosli._types import RepoInfo as RepoInfo
from kosli._types import Severity as Severity

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
