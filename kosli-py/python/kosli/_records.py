"""The typed results of reads and journal reports: frozen dataclasses the native module fills
from the core's types (``kosli-py/src/records.rs``), field for field.

Every record compares by value, shows its fields in ``repr``, and has ``to_dict()`` giving plain,
JSON-ready values (nested records as dicts). Timestamps are Unix seconds (``float``), as the API
gives them; ``None`` is a field the server left out or sent as ``null``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, ClassVar

from kosli._kosli import ArtifactRef, Outcome, _render_report

__all__ = [
    "AdoptionMetrics",
    "AdoptionWindow",
    "Artifact",
    "ArtifactEvent",
    "ArtifactLocation",
    "ArtifactPage",
    "AttestationStatus",
    "AuditBuild",
    "AuditChecklist",
    "AuditEvidence",
    "AuditPresence",
    "AuditTrail",
    "ComplianceReport",
    "ComplianceRow",
    "ComplianceStatus",
    "ComplianceSummary",
    "DeliveryFailure",
    "DeployReport",
    "DiffArtifact",
    "DiffSide",
    "Drift",
    "DriftEvent",
    "DriftRecord",
    "DriftSummary",
    "DurationStats",
    "Environment",
    "EnvironmentAdoption",
    "EnvironmentEvent",
    "EnvironmentList",
    "EnvironmentPage",
    "EnvironmentSnapshot",
    "EvidenceMetrics",
    "Flow",
    "FlowCompliance",
    "FlowList",
    "FlushReport",
    "GateRuleResult",
    "GateVerdict",
    "HostFlush",
    "HostStatus",
    "JournalStatus",
    "LoopSummary",
    "Pagination",
    "PendingRecord",
    "Policy",
    "PolicyDecision",
    "PolicyEvaluation",
    "PolicyVersion",
    "PullRequestEvidence",
    "ReviewApprovals",
    "ReviewApprover",
    "ReviewCommit",
    "ReviewPullRequest",
    "RuleDefinition",
    "RuleEvaluation",
    "RunningArtifact",
    "SnapshotAnnotation",
    "SnapshotArtifact",
    "SnapshotDiff",
    "SnapshotSummary",
    "SnapshotTick",
    "Trail",
    "TrailArtifactStatus",
    "TrailAttestationStatus",
    "TrailCommit",
    "TrailComplianceStatus",
    "TrailEvent",
    "TrailList",
    "TrailSummary",
    "Unknown",
    "UnreadArtifact",
    "Verdict",
]


def _plain(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    """What every record has: ``to_dict()``."""

    #: Wire names that differ from the field's (``type`` -> ``env_type``), for ``_build``.
    _WIRE: ClassVar[dict[str, str]] = {}
    #: The field that collects the wire keys no other field names (``None``: such a key is an
    #: error).
    _EXTRA: ClassVar[str | None] = None

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (nested records as dicts, lists as lists)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        hints = {k: v for k, v in typing.get_type_hints(cls, globalns=globals()).items() if k in names}
        _HINTS[cls] = hints
    return hints


def _absent(hint: Any) -> Any:
    """The value of a field the wire left out (serde skips empty strings and lists)."""
    origin = typing.get_origin(hint)
    if hint is str:
        return ""
    if origin is list:
        return []
    if origin is dict:
        return {}
    return None


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if Unknown in options:
            # A report's value Kosli could not give: `{"unknown": "<reason>"}` on the wire.
            if isinstance(value, dict) and list(value) == ["unknown"]:
                return Unknown(reason=value["unknown"])
            options.remove(Unknown)
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_convert(item, v) for v in value]
    if origin is dict:
        _, item = typing.get_args(hint)
        return {k: _convert(item, v) for k, v in value.items()}
    if isinstance(hint, type) and issubclass(hint, _Record) and isinstance(value, dict):
        return _from_wire(hint, value)
    return value


def _from_wire(cls: type[_Record], data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        name = cls._WIRE.get(key, key)
        if name in hints and name != cls._EXTRA:
            kwargs[name] = _convert(hints[name], value)
        elif cls._EXTRA is not None:
            extra[key] = value
        else:
            raise TypeError(f"{cls.__name__} has no field for the wire's {key!r}")
    for name, hint in hints.items():
        kwargs.setdefault(name, _absent(hint))
    if cls._EXTRA is not None:
        kwargs[cls._EXTRA] = extra
    return cls(**kwargs)


def _build(name: str, data: dict[str, Any]) -> Any:
    """The record ``name`` from its wire form (the native module's one way in for the later
    areas): every key must name a field (or the record's ``_EXTRA``)."""
    cls = globals()[name]
    return _from_wire(cls, data)


# --- flows ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Flow(_Record):
    """A flow, as ``kosli get flow`` reads it."""

    name: str
    description: str | None
    visibility: str | None
    org: str | None
    #: The YAML template, or a legacy flow's list of required controls.
    template: str | list[str] | None
    #: When an artifact of the flow was last deployed (Unix seconds).
    last_deployment_at: float | None
    tags: dict[str, Any] | None
    archived: bool | None


@dataclass(frozen=True, kw_only=True)
class Pagination(_Record):
    """The page of a paginated list of flows."""

    page: int
    page_count: int
    total: int
    per_page: int | None


@dataclass(frozen=True, kw_only=True)
class FlowList(_Record):
    """What ``kosli list flows`` reads: the flows, and the page when one was asked for."""

    flows: list[Flow]
    pagination: Pagination | None


# --- environments -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Environment(_Record):
    """An environment, as ``kosli get environment`` reads it."""

    name: str
    #: ``K8S``, ``server``, ``logical``, ...
    env_type: str | None
    description: str | None
    org: str | None
    last_modified_at: float | None
    last_reported_at: float | None
    #: Whether what runs there is compliant (``None``: nothing reported yet).
    state: bool | None
    include_scaling: bool | None
    require_provenance: bool | None
    tags: dict[str, Any] | None
    policies: list[str] | None
    #: For a logical environment, the environments it groups.
    included_environments: list[str] | None


@dataclass(frozen=True, kw_only=True)
class EnvironmentPage(_Record):
    """The page of a paginated list of environments."""

    page: int
    per_page: int
    total_pages: int
    total_count: int


@dataclass(frozen=True, kw_only=True)
class EnvironmentList(_Record):
    """What ``kosli list environments`` reads: the environments, and the page when asked."""

    environments: list[Environment]
    page: EnvironmentPage | None


# --- artifacts --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ArtifactLocation(_Record):
    """Where an artifact runs or ran: an environment and the snapshot that showed it."""

    environment_name: str
    snapshot_index: int


@dataclass(frozen=True, kw_only=True)
class ArtifactEvent(_Record):
    """One event of an artifact's history."""

    event: str
    timestamp: float


@dataclass(frozen=True, kw_only=True)
class Artifact(_Record):
    """An artifact, as ``kosli get artifact`` and ``kosli list artifacts`` read it."""

    filename: str
    flow_name: str
    trail_name: str | None
    template_reference_name: str | None
    fingerprint: str
    created_at: float | None
    git_commit: str | None
    commit_url: str | None
    build_url: str | None
    repo_url: str | None
    html_url: str | None
    #: ``COMPLIANT``, ``NON-COMPLIANT``, ...
    state: str | None
    running: list[ArtifactLocation]
    exited: list[ArtifactLocation]
    history: list[ArtifactEvent]
    annotations: Any


@dataclass(frozen=True, kw_only=True)
class ArtifactPage(_Record):
    """One page of ``kosli list artifacts``; ``next_page`` is set when this one was full."""

    artifacts: list[Artifact]
    next_page: int | None


# --- the compliance gate ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AttestationStatus(_Record):
    """One attestation's state in a trail."""

    attestation_name: str
    attestation_type: str
    status: str
    is_compliant: bool
    unexpected: bool


@dataclass(frozen=True, kw_only=True)
class ComplianceStatus(_Record):
    """A trail's compliance."""

    is_compliant: bool | None
    status: str | None
    attestations_statuses: list[AttestationStatus]


@dataclass(frozen=True, kw_only=True)
class FlowCompliance(_Record):
    """The artifact in one flow: its trail and that trail's compliance."""

    flow: str
    trail: str
    compliance_status: ComplianceStatus


@dataclass(frozen=True, kw_only=True)
class RuleDefinition(_Record):
    """The rule a policy evaluation checked."""

    name: str
    rule_type: str


@dataclass(frozen=True, kw_only=True)
class RuleEvaluation(_Record):
    """One rule of a policy, evaluated."""

    ignored: bool
    satisfied: bool
    definition: RuleDefinition
    #: What would resolve it, as the server sent it.
    resolutions: list[Any]


@dataclass(frozen=True, kw_only=True)
class PolicyEvaluation(_Record):
    """One policy, evaluated against the artifact."""

    policy_name: str
    status: str
    rule_evaluations: list[RuleEvaluation]


@dataclass(frozen=True, kw_only=True)
class Verdict(_Record):
    """Kosli's answer to ``assert_artifact``: ``compliant`` is the gate's answer, ``reasons``
    say why not (one line per cause, empty when compliant)."""

    compliant: bool
    #: What it was checked against: ``flow``, ``environment`` or ``policy``.
    scope: str
    fingerprint: str
    flows: list[FlowCompliance]
    html_url: str | None
    environment: str | None
    policy_evaluations: list[PolicyEvaluation]
    reasons: list[str]


# --- environment history (get/list trails, snapshots, log environment, diff) -----------------


@dataclass(frozen=True, kw_only=True)
class TrailAttestationStatus(_Record):
    """One attestation's state in a trail (``get trail``)."""

    attestation_name: str
    attestation_id: str | None
    attestation_type: str | None
    status: str | None
    is_compliant: bool | None
    unexpected: bool | None


@dataclass(frozen=True, kw_only=True)
class TrailArtifactStatus(_Record):
    """One artifact's state in a trail."""

    status: str | None
    attestations_statuses: list[TrailAttestationStatus]


@dataclass(frozen=True, kw_only=True)
class TrailComplianceStatus(_Record):
    """A trail's compliance: its own attestations and each artifact's."""

    status: str | None
    is_compliant: bool | None
    attestations_statuses: list[TrailAttestationStatus]
    #: By artifact (template) name.
    artifacts_statuses: dict[str, TrailArtifactStatus]


@dataclass(frozen=True, kw_only=True)
class TrailCommit(_Record):
    """The commit a trail was begun from."""

    sha1: str
    message: str
    author: str
    branch: str | None
    timestamp: float | None
    url: str | None


@dataclass(frozen=True, kw_only=True)
class TrailEvent(_Record):
    """One event of a trail; ``other`` holds the event's remaining wire fields."""

    _WIRE: ClassVar[dict[str, str]] = {"type": "event_type"}
    _EXTRA: ClassVar[str | None] = "other"

    event_type: str | None
    timestamp: float | None
    other: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Trail(_Record):
    """A trail, as ``kosli get trail`` reads it."""

    name: str
    flow: str | None
    description: str | None
    compliance_state: str | None
    is_compliant: bool | None
    compliance_status: TrailComplianceStatus | None
    git_commit_info: TrailCommit | None
    origin_url: str | None
    user_data: Any
    created_at: float | None
    last_modified_at: float | None
    html_url: str | None
    events: list[TrailEvent] | None


@dataclass(frozen=True, kw_only=True)
class TrailSummary(_Record):
    """One trail of ``list trails``."""

    name: str
    description: str | None
    compliance_state: str | None


@dataclass(frozen=True, kw_only=True)
class TrailList(_Record):
    """A page of ``kosli list trails``."""

    trails: list[TrailSummary]
    pagination: Pagination | None


@dataclass(frozen=True, kw_only=True)
class SnapshotAnnotation(_Record):
    """How an artifact changed in a snapshot (``started``, ``scaled``, ...)."""

    _WIRE: ClassVar[dict[str, str]] = {"type": "change"}

    change: str
    was: int
    now: int


@dataclass(frozen=True, kw_only=True)
class SnapshotArtifact(_Record):
    """One artifact of a reported snapshot."""

    _WIRE: ClassVar[dict[str, str]] = {"creationTimestamp": "creation_timestamps"}

    name: str
    fingerprint: str
    flow_name: str | None
    compliant: bool | None
    deployments: list[Any]
    git_commit: str | None
    commit_url: str | None
    creation_timestamps: list[float]
    pods: dict[str, Any]
    annotation: SnapshotAnnotation | None


@dataclass(frozen=True, kw_only=True)
class RunningArtifact(_Record):
    """One artifact running in an environment: the unit of drift and of the deploy check."""

    name: str
    fingerprint: str
    instances: int


@dataclass(frozen=True, kw_only=True)
class EnvironmentSnapshot(_Record):
    """One reported snapshot of an environment, as ``kosli get snapshot`` reads it;
    ``running`` is what it shows running (for ``kosli.diff_running``)."""

    _WIRE: ClassVar[dict[str, str]] = {"type": "env_type"}

    index: int
    timestamp: float
    env_type: str
    user_id: str | None
    user_name: str | None
    compliant: bool | None
    html_url: str | None
    artifacts: list[SnapshotArtifact]
    running: list[RunningArtifact]


@dataclass(frozen=True, kw_only=True)
class SnapshotSummary(_Record):
    """One snapshot of ``kosli list snapshots``."""

    _WIRE: ClassVar[dict[str, str]] = {"from": "from_"}

    index: int
    #: When it became the latest (Unix seconds; ``from`` on the wire, a Python keyword).
    from_: float
    #: When it stopped being the latest (0 while it is).
    to: float
    duration: float
    compliant: bool | None


@dataclass(frozen=True, kw_only=True)
class EnvironmentEvent(_Record):
    """One event of ``kosli log environment``."""

    snapshot_index: int
    artifact_name: str
    sha256: str
    description: str
    reported_at: float
    pipeline: str | None
    environment_name: str | None
    flow: str | None


@dataclass(frozen=True, kw_only=True)
class DiffArtifact(_Record):
    """An artifact on one side of ``kosli diff snapshots``."""

    fingerprint: str
    name: str
    flow: str | None
    commit_url: str | None
    most_recent_timestamp: float | None
    instance_count: int
    pods: list[str]
    #: In ``changed``: the instances in the first and the second snapshot.
    s1_instance_count: int | None
    s2_instance_count: int | None


@dataclass(frozen=True, kw_only=True)
class DiffSide(_Record):
    """The artifacts only in one snapshot."""

    snapshot_id: str
    artifacts: list[DiffArtifact]


@dataclass(frozen=True, kw_only=True)
class SnapshotDiff(_Record):
    """The server's diff of two snapshots (``kosli diff snapshots``); ``drift`` is the same
    difference as local drift events."""

    _WIRE: ClassVar[dict[str, str]] = {"not-changed": "not_changed"}

    snappish1: DiffSide
    snappish2: DiffSide
    changed: DiffSide
    not_changed: DiffSide
    drift: Drift


@dataclass(frozen=True, kw_only=True)
class DriftEvent(_Record):
    """One change between two snapshots: ``kind`` is ``added``, ``removed`` (with
    ``artifact``), ``changed`` (fingerprints and instances) or ``scaled`` (instances)."""

    kind: str
    name: str
    #: The event in words.
    description: str
    artifact: RunningArtifact | None
    fingerprint: str | None
    from_fingerprint: str | None
    to_fingerprint: str | None
    from_instances: int | None
    to_instances: int | None


@dataclass(frozen=True, kw_only=True)
class Drift(_Record):
    """The changes between two snapshots, and what runs as before."""

    events: list[DriftEvent]
    unchanged: list[RunningArtifact]


# --- policies ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PolicyVersion(_Record):
    """One version of an environment policy."""

    version: int | None
    policy_yaml: str
    comment: str | None
    created_at: float | None
    created_by: str | None


@dataclass(frozen=True, kw_only=True)
class Policy(_Record):
    """An environment policy, as ``kosli get policy`` reads it."""

    name: str
    description: str | None
    created_at: float | None
    #: The environments it is attached to.
    consuming_envs: list[str]
    #: Oldest first.
    versions: list[PolicyVersion]


@dataclass(frozen=True, kw_only=True)
class PolicyDecision(_Record):
    """What a Rego policy decided (``kosli evaluate``): ``violations`` only when denied."""

    allow: bool
    violations: list[str] | None
    #: The CLI's output of the decision (``output="table"`` or ``"json"``).
    output: str


@dataclass(frozen=True, kw_only=True)
class GateRuleResult(_Record):
    """One rule of a local gate, evaluated."""

    policy: str
    #: The rule's type (``test-evidence``, ``security-scan``, ``code-review``, ``attestation``).
    rule: str
    passed: bool
    reason: str | None


@dataclass(frozen=True, kw_only=True)
class GateVerdict(_Record):
    """A local gate's decision: ``allowed`` only when every rule passed; ``reasons`` has one
    line per failed rule."""

    allowed: bool
    results: list[GateRuleResult]
    reasons: list[str]


# --- deployments and the snapshot loop --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeployReport(_Record):
    """What a guarded deployment did after its step succeeded: the snapshot's outcome and
    whether the artifact runs (``verification``: ``running``, ``running_as`` (under
    ``running_as`` names) or ``not_running``)."""

    environment: str
    artifact: ArtifactRef
    running: list[RunningArtifact]
    outcome: Outcome
    verification: str
    running_as: list[str]
    instances: int
    #: The verification in words.
    message: str


@dataclass(frozen=True, kw_only=True)
class SnapshotTick(_Record):
    """One tick of a snapshot loop: what ran and the report's outcome, or the ``error``."""

    slot: int
    number: int
    running: list[RunningArtifact]
    outcome: Outcome | None
    #: The change since the previous tick (``None`` on the first, or after a failure).
    drift: Drift | None
    error: BaseException | None


@dataclass(frozen=True, kw_only=True)
class LoopSummary(_Record):
    """What a snapshot loop did."""

    ticks: int
    sent: int
    queued: int
    failed: int
    #: Ticks skipped because a collection overran its slot.
    skipped: int


# --- compliance documents ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Unknown(_Record):
    """A value of a compliance document that Kosli's reads could not give, and why (documents
    never guess). Its ``to_dict()`` is the document's JSON for it: ``{"unknown": reason}``."""

    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"unknown": self.reason}

    def __str__(self) -> str:
        return f"unknown ({self.reason})"


class _Document(_Record):
    """A compliance document: ``render()`` gives the core's rendering of it."""

    #: The document's kind in ``kosli_core::report::Document``.
    _KIND: ClassVar[str] = ""

    def render(self, format: str = "markdown") -> str:
        """The document as ``"markdown"`` (or ``"md"``), ``"json"`` (what ``to_dict()`` holds,
        pretty-printed) or ``"csv"`` (the compliance report only), rendered by the core."""
        return _render_report(json.dumps({"kind": self._KIND, **self.to_dict()}), format)


@dataclass(frozen=True, kw_only=True)
class ComplianceRow(_Record):
    """One artifact of a compliance report."""

    artifact: str
    fingerprint: str
    trail: str | Unknown
    #: When it was reported (Unix seconds).
    created_at: float | None
    git_commit: str | None
    #: Kosli's verdict (``assert artifact --flow``).
    compliant: bool | Unknown
    #: Attestations its trail holds for it (its own and the trail's).
    attestations: int | Unknown
    #: Attestations the template expects that were not reported.
    missing: list[str] | Unknown
    #: Attestations reported but not compliant.
    failing: list[str] | Unknown
    #: Environments whose latest snapshot runs it.
    environments: list[str]


@dataclass(frozen=True, kw_only=True)
class ComplianceSummary(_Record):
    """The counts of a compliance report."""

    artifacts: int
    compliant: int
    non_compliant: int
    unknown: int
    #: Running in at least one environment checked.
    running: int
    running_non_compliant: int


@dataclass(frozen=True, kw_only=True)
class ComplianceReport(_Document):
    """The compliance report of a flow (``Client.compliance_report``): one row per artifact,
    newest first."""

    _KIND: ClassVar[str] = "compliance"

    flow: str
    #: The environments checked for running artifacts.
    environments: list[str]
    summary: ComplianceSummary
    rows: list[ComplianceRow]


@dataclass(frozen=True, kw_only=True)
class AuditBuild(_Record):
    """How an audited artifact was built."""

    git_commit: str | Unknown
    commit_url: str | Unknown
    build_url: str | Unknown
    repo_url: str | Unknown
    commit_author: str | Unknown


@dataclass(frozen=True, kw_only=True)
class AuditChecklist(_Record):
    """The state of each required kind of evidence: ``compliant``, ``non_compliant``,
    ``missing`` or ``none_recorded``."""

    test: str
    security: str
    review: str


@dataclass(frozen=True, kw_only=True)
class AuditEvidence(_Record):
    """One attestation of an audited artifact, expected or reported."""

    name: str
    #: ``test``, ``security``, ``review`` or ``other``.
    kind: str
    attestation_type: str | None
    #: ``trail`` or ``artifact``.
    level: str
    #: ``COMPLETE``, ``MISSING``, ...
    status: str
    compliant: bool | None
    reported_at: float | None
    #: What it says (``None``: nothing to read; unknown: its details could not be read).
    details: str | Unknown | None
    url: str | None


@dataclass(frozen=True, kw_only=True)
class AuditPresence(_Record):
    """Where an audited artifact ran."""

    environment: str
    #: The names it ran under there.
    ran_as: list[str]
    #: The first snapshot running it: its time (Unix seconds) and number.
    first_seen: float
    first_snapshot: int
    reported_by: str | None
    running_now: bool
    #: The environment's latest report while it runs, else the snapshot that no longer had it.
    last_seen: float | Unknown
    #: How many separate times it started running there.
    deployments: int


@dataclass(frozen=True, kw_only=True)
class AuditTrail(_Document):
    """The audit trail of one artifact (``Client.audit_trail``)."""

    _KIND: ClassVar[str] = "audit"

    flow: str
    fingerprint: str
    artifact: str
    trail: str | Unknown
    created_at: float | Unknown
    compliant: bool | Unknown
    html_url: str | None
    build: AuditBuild
    checklist: AuditChecklist | Unknown
    #: Every attestation, the trail's first.
    evidence: list[AuditEvidence] | Unknown
    environments: list[AuditPresence]
    #: The environments looked in.
    environments_checked: list[str]


@dataclass(frozen=True, kw_only=True)
class AdoptionWindow(_Record):
    """The window of adoption metrics (Unix seconds; ``until`` excluded)."""

    since: float
    until: float


@dataclass(frozen=True, kw_only=True)
class EnvironmentAdoption(_Record):
    """The adoption metrics of one environment."""

    environment: str
    snapshots: int
    running_artifacts: int
    with_provenance: int
    deployments: int
    tracked_deployments: int
    drift_events: int


@dataclass(frozen=True, kw_only=True)
class UnreadArtifact(_Record):
    """An artifact whose evidence (or build time) could not be read, and why."""

    flow: str
    fingerprint: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class EvidenceMetrics(_Record):
    """Evidence per artifact with provenance."""

    artifacts: int
    attestations: int
    average: float | Unknown
    unread: list[UnreadArtifact]


@dataclass(frozen=True, kw_only=True)
class DriftRecord(_Record):
    """One drift event of the window: the snapshot that shows it and whether its artifact has
    provenance (``tracked``)."""

    environment: str
    snapshot: int
    timestamp: float
    tracked: bool
    event: DriftEvent


@dataclass(frozen=True, kw_only=True)
class DriftSummary(_Record):
    """The drift events of the window, counted."""

    total: int
    added: int
    removed: int
    changed: int
    scaled: int
    #: Events about artifacts without provenance.
    untracked: int
    events: list[DriftRecord]


@dataclass(frozen=True, kw_only=True)
class DurationStats(_Record):
    """How many durations, their median and 90th percentile (nearest rank), in seconds."""

    samples: int
    median_seconds: float | Unknown
    p90_seconds: float | Unknown


@dataclass(frozen=True, kw_only=True)
class AdoptionMetrics(_Document):
    """Adoption metrics over a window (``Client.adoption_metrics``); the definitions are
    ``kosli_core::report::AdoptionMetrics``'s."""

    _KIND: ClassVar[str] = "adoption"

    window: AdoptionWindow
    #: The flows provenance had to be in (empty: any).
    flows: list[str]
    environments: list[EnvironmentAdoption]
    running_artifacts: int
    with_provenance: int
    provenance_share: float | Unknown
    deployments: int
    tracked_deployments: int
    tracked_deployment_share: float | Unknown
    evidence: EvidenceMetrics
    build_to_deploy: DurationStats
    build_to_deploy_unread: list[UnreadArtifact]
    drift: DriftSummary


# --- external evidence (pull requests) --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReviewApprover(_Record):
    """A review of a pull request found at its provider."""

    username: str
    state: str
    timestamp: int


@dataclass(frozen=True, kw_only=True)
class ReviewCommit(_Record):
    """A commit of a pull request found at its provider."""

    sha1: str
    message: str
    author: str
    author_username: str
    timestamp: int
    branch: str
    url: str
    verified: bool | None
    signature_state: str | None


@dataclass(frozen=True, kw_only=True)
class ReviewPullRequest(_Record):
    """A pull (merge) request found at its provider, as the CLI attests it."""

    merge_commit: str
    url: str
    state: str
    approvers: list[ReviewApprover] | None
    author: str
    created_at: int
    merged_at: int | None
    title: str
    head_ref: str
    base_ref: str
    commits: list[ReviewCommit]


@dataclass(frozen=True, kw_only=True)
class ReviewApprovals(_Record):
    """The approvals of one pull request (what a gate's ``code-review`` rule reads)."""

    url: str
    count: int
    approvers: list[str]


@dataclass(frozen=True, kw_only=True)
class PullRequestEvidence(_Record):
    """The pull requests of a commit at a provider (``github``, ``gitlab``, ``bitbucket``,
    ``azure``)."""

    provider: str
    commit: str
    pull_requests: list[ReviewPullRequest]
    approvals: list[ReviewApprovals]


# --- the journal ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeliveryFailure(_Record):
    """A journal record that could not be delivered to a host (given to the
    ``on_delivery_failure`` callback); it stays queued."""

    id: str
    #: The operation's name (``attest_junit``, ...).
    operation: str
    #: The host, without credentials.
    host: str
    #: The error's kind (``"Network"``, ``"Api"``, ...: ``kosli_core::ErrorKind``).
    kind: str
    #: The error's message (never the token).
    message: str
    #: The journal folder it stays in.
    journal: str | None
    #: The one-line alert the failure webhook sends.
    text: str


@dataclass(frozen=True, kw_only=True)
class HostFlush(_Record):
    """What a flush did on one host."""

    host: str
    delivered: int
    #: Older snapshots dropped in favour of a newer one of the same environment.
    superseded: int
    left: int
    #: Why delivery to this host stopped early, if it did.
    stopped: str | None
    failures: list[DeliveryFailure]


@dataclass(frozen=True, kw_only=True)
class FlushReport(_Record):
    """What ``flush_journal`` did, per host of the delivering client (the primary first)."""

    hosts: list[HostFlush]
    delivered: int
    left: int
    #: Whether nothing is left on any host.
    is_complete: bool


@dataclass(frozen=True, kw_only=True)
class HostStatus(_Record):
    """The pending records of one host."""

    host: str
    pending: int
    oldest: float | None
    last_error: str | None


@dataclass(frozen=True, kw_only=True)
class PendingRecord(_Record):
    """One pending record of the journal."""

    id: str
    operation: str
    recorded_at: float
    #: The hosts it still has to reach (``None``: not bound to a host yet).
    hosts: list[str] | None
    failures: int
    last_error: str | None


@dataclass(frozen=True, kw_only=True)
class JournalStatus(_Record):
    """The journal's pending records, overall and per host (``journal_status``)."""

    dir: str | None
    pending: int
    #: When the oldest pending record was recorded (Unix seconds).
    oldest: float | None
    #: Offline records not bound to a host yet.
    unbound: int
    hosts: list[HostStatus]
    records: list[PendingRecord]
    #: Lines of the log that could not be read (0 unless the disk damaged it).
    corrupt_lines: int


# Shown (and pickled) as `kosli.X`, where users import them from.
for _name in __all__:
    globals()[_name].__module__ = "kosli"

del _name
