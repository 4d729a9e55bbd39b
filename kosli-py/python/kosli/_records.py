"""The typed results of reads and journal reports: frozen dataclasses the native module fills
from the core's types (``kosli-py/src/records.rs``), field for field.

Every record compares by value, shows its fields in ``repr``, and has ``to_dict()`` giving plain,
JSON-ready values (nested records as dicts). Timestamps are Unix seconds (``float``), as the API
gives them; ``None`` is a field the server left out or sent as ``null``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Artifact",
    "ArtifactEvent",
    "ArtifactLocation",
    "ArtifactPage",
    "AttestationStatus",
    "ComplianceStatus",
    "DeliveryFailure",
    "Environment",
    "EnvironmentList",
    "EnvironmentPage",
    "Flow",
    "FlowCompliance",
    "FlowList",
    "FlushReport",
    "HostFlush",
    "HostStatus",
    "JournalStatus",
    "Pagination",
    "PendingRecord",
    "PolicyEvaluation",
    "RuleDefinition",
    "RuleEvaluation",
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

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (nested records as dicts, lists as lists)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


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
