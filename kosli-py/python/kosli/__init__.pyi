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
from kosli._kosli import CollectedSnapshot as CollectedSnapshot
from kosli._kosli import EvidenceSet as EvidenceSet
from kosli._kosli import Gate as Gate
from kosli._kosli import PathsCollector as PathsCollector
from kosli._kosli import DockerCollector as DockerCollector
from kosli._kosli import K8sCollector as K8sCollector
from kosli._kosli import PrSource as PrSource
from kosli._kosli import SnapshotLoop as SnapshotLoop
from kosli._kosli import collect_docker_snapshot as collect_docker_snapshot
from kosli._kosli import collect_k8s_snapshot as collect_k8s_snapshot
from kosli._kosli import diff_running as diff_running
from kosli._kosli import evaluate_input as evaluate_input
from kosli._kosli import fingerprint_image as fingerprint_image
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
from kosli._records import AdoptionMetrics as AdoptionMetrics
from kosli._records import AdoptionWindow as AdoptionWindow
from kosli._records import AuditBuild as AuditBuild
from kosli._records import AuditChecklist as AuditChecklist
from kosli._records import AuditEvidence as AuditEvidence
from kosli._records import AuditPresence as AuditPresence
from kosli._records import AuditTrail as AuditTrail
from kosli._records import ComplianceReport as ComplianceReport
from kosli._records import ComplianceRow as ComplianceRow
from kosli._records import ComplianceSummary as ComplianceSummary
from kosli._records import DriftRecord as DriftRecord
from kosli._records import DriftSummary as DriftSummary
from kosli._records import DurationStats as DurationStats
from kosli._records import EnvironmentAdoption as EnvironmentAdoption
from kosli._records import EvidenceMetrics as EvidenceMetrics
from kosli._records import Unknown as Unknown
from kosli._records import UnreadArtifact as UnreadArtifact
from kosli._records import DeployReport as DeployReport
from kosli._records import DiffArtifact as DiffArtifact
from kosli._records import DiffSide as DiffSide
from kosli._records import Drift as Drift
from kosli._records import DriftEvent as DriftEvent
from kosli._records import EnvironmentEvent as EnvironmentEvent
from kosli._records import EnvironmentSnapshot as EnvironmentSnapshot
from kosli._records import GateRuleResult as GateRuleResult
from kosli._records import GateVerdict as GateVerdict
from kosli._records import LoopSummary as LoopSummary
from kosli._records import Policy as Policy
from kosli._records import PolicyDecision as PolicyDecision
from kosli._records import PolicyVersion as PolicyVersion
from kosli._records import PullRequestEvidence as PullRequestEvidence
from kosli._records import ReviewApprovals as ReviewApprovals
from kosli._records import ReviewApprover as ReviewApprover
from kosli._records import ReviewCommit as ReviewCommit
from kosli._records import ReviewPullRequest as ReviewPullRequest
from kosli._records import RunningArtifact as RunningArtifact
from kosli._records import SnapshotAnnotation as SnapshotAnnotation
from kosli._records import SnapshotArtifact as SnapshotArtifact
from kosli._records import SnapshotDiff as SnapshotDiff
from kosli._records import SnapshotSummary as SnapshotSummary
from kosli._records import SnapshotTick as SnapshotTick
from kosli._records import Trail as Trail
from kosli._records import TrailArtifactStatus as TrailArtifactStatus
from kosli._records import TrailAttestationStatus as TrailAttestationStatus
from kosli._records import TrailCommit as TrailCommit
from kosli._records import TrailComplianceStatus as TrailComplianceStatus
from kosli._records import TrailEvent as TrailEvent
from kosli._records import TrailList as TrailList
from kosli._records import TrailSummary as TrailSummary
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
    "CollectedSnapshot",
    "ComplianceStatus",
    "Config",
    "ConfigError",
    "DeliveryFailure",
    "DeployReport",
    "DiffArtifact",
    "DiffSide",
    "Drift",
    "DriftEvent",
    "Environment",
    "EnvironmentEvent",
    "EnvironmentList",
    "EnvironmentPage",
    "EnvironmentSnapshot",
    "EvidenceSet",
    "Finding",
    "Fingerprint",
    "FingerprintError",
    "Flow",
    "FlowCompliance",
    "FlowList",
    "FlushReport",
    "Gate",
    "GateRuleResult",
    "GateVerdict",
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
    "LoopSummary",
    "NetworkError",
    "NotFoundError",
    "Outcome",
    "Pagination",
    "ParseError",
    "PathsCollector",
    "DockerCollector",
    "K8sCollector",
    "AdoptionMetrics",
    "AdoptionWindow",
    "AuditBuild",
    "AuditChecklist",
    "AuditEvidence",
    "AuditPresence",
    "AuditTrail",
    "ComplianceReport",
    "ComplianceRow",
    "ComplianceSummary",
    "DriftRecord",
    "DriftSummary",
    "DurationStats",
    "EnvironmentAdoption",
    "EvidenceMetrics",
    "Unknown",
    "UnreadArtifact",
    "PendingRecord",
    "Policy",
    "PolicyDecision",
    "PolicyDeniedError",
    "PolicyEvaluation",
    "PolicyVersion",
    "PrApprover",
    "PrCommit",
    "PrSource",
    "Progress",
    "ProgressCallback",
    "PullRequest",
    "PullRequestEvidence",
    "RepoInfo",
    "ReviewApprovals",
    "ReviewApprover",
    "ReviewCommit",
    "ReviewPullRequest",
    "RuleDefinition",
    "RuleEvaluation",
    "RunningArtifact",
    "ScanSummary",
    "Severity",
    "SnapshotAnnotation",
    "SnapshotArtifact",
    "SnapshotDiff",
    "SnapshotLoop",
    "SnapshotSummary",
    "SnapshotTick",
    "SuiteSummary",
    "Trail",
    "TrailArtifactStatus",
    "TrailAttestationStatus",
    "TrailCommit",
    "TrailComplianceStatus",
    "TrailEvent",
    "TrailList",
    "TrailSummary",
    "Verdict",
    "collect_docker_snapshot",
    "collect_k8s_snapshot",
    "diff_running",
    "evaluate_input",
    "fingerprint_dir",
    "fingerprint_file",
    "fingerprint_image",
    "parse_junit",
    "parse_scan",
    "__version__",
]
