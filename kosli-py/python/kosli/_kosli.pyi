"""Stubs of the native module `kosli._kosli` (private: import `kosli`)."""

import os
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, final

from kosli._records import (
    AdoptionMetrics,
    AuditTrail,
    ComplianceReport,
    Artifact,
    DeliveryFailure,
    DeployReport,
    Drift,
    Environment,
    EnvironmentEvent,
    EnvironmentList,
    EnvironmentSnapshot,
    Flow,
    FlowList,
    FlushReport,
    GateVerdict,
    JournalStatus,
    ArtifactPage,
    LoopSummary,
    Policy,
    PolicyDecision,
    PullRequestEvidence,
    RunningArtifact,
    SnapshotDiff,
    SnapshotSummary,
    SnapshotTick,
    Trail,
    TrailList,
    Verdict,
)
from kosli._types import ArtifactType, GitCommitInfo, PullRequest, RepoInfo, Severity

__version__: str

@final
class Fingerprint:
    """A SHA-256 digest; ``str()`` gives its 64 lowercase hex digits."""

    def __new__(cls, hex: str) -> Fingerprint: ...
    def digest(self) -> bytes: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __lt__(self, other: Fingerprint, /) -> bool: ...
    def __le__(self, other: Fingerprint, /) -> bool: ...
    def __gt__(self, other: Fingerprint, /) -> bool: ...
    def __ge__(self, other: Fingerprint, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class ArtifactRef:
    """An artifact's name, fingerprint and type, built once and used for every report."""

    def __new__(
        cls, name: str, fingerprint: Fingerprint | str, artifact_type: ArtifactType | str
    ) -> ArtifactRef: ...
    @property
    def name(self) -> str: ...
    @property
    def fingerprint(self) -> Fingerprint: ...
    @property
    def artifact_type(self) -> ArtifactType: ...
    def to_dict(self) -> dict[str, str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Config:
    """How a client reaches Kosli; the API token is kept but never shown."""

    def __new__(
        cls,
        *,
        host: str | None = None,
        api_token: str | None = None,
        org: str | None = None,
        max_api_retries: int | None = None,
        http_proxy: str | None = None,
        dry_run: bool | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        total_timeout: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        allow_insecure_http: bool = False,
        journal_dir: str | os.PathLike[str] | None = None,
        offline: bool = False,
        on_delivery_failure: Callable[[DeliveryFailure], object] | None = None,
        failure_webhook: str | None = None,
    ) -> Config: ...
    @staticmethod
    def load(
        *,
        host: str | None = None,
        api_token: str | None = None,
        org: str | None = None,
        max_api_retries: int | None = None,
        http_proxy: str | None = None,
        dry_run: bool | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        total_timeout: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        allow_insecure_http: bool = False,
        journal_dir: str | os.PathLike[str] | None = None,
        offline: bool = False,
        on_delivery_failure: Callable[[DeliveryFailure], object] | None = None,
        failure_webhook: str | None = None,
        config_file: str | os.PathLike[str] | None = None,
    ) -> Config:
        """Arguments, then the KOSLI_* variables, then the config file, then the defaults."""

    @property
    def hosts(self) -> list[str]: ...
    @property
    def org(self) -> str | None: ...
    @property
    def has_api_token(self) -> bool: ...
    @property
    def max_api_retries(self) -> int: ...
    @property
    def http_proxy(self) -> str | None: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def connect_timeout(self) -> float: ...
    @property
    def attempt_timeout(self) -> float | None: ...
    @property
    def total_timeout(self) -> float | None: ...
    @property
    def ca_bundle(self) -> pathlib.Path | None: ...
    @property
    def allow_insecure_http(self) -> bool: ...
    @property
    def config_file(self) -> pathlib.Path | None: ...
    @property
    def journal_dir(self) -> pathlib.Path | None: ...
    @property
    def offline(self) -> bool: ...
    @property
    def warnings(self) -> list[str]: ...

@final
class Client:
    """A Kosli API client: thread-safe, fork-aware, Ctrl-C interrupts a waiting call."""

    def __new__(
        cls,
        config: Config | None = None,
        *,
        host: str | None = None,
        api_token: str | None = None,
        org: str | None = None,
        max_api_retries: int | None = None,
        http_proxy: str | None = None,
        dry_run: bool | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        total_timeout: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        allow_insecure_http: bool = False,
        journal_dir: str | os.PathLike[str] | None = None,
        offline: bool = False,
        on_delivery_failure: Callable[[DeliveryFailure], object] | None = None,
        failure_webhook: str | None = None,
        config_file: str | os.PathLike[str] | None = None,
    ) -> Client: ...
    @property
    def config(self) -> Config: ...
    def status(self) -> str:
        """``kosli status``: the raw answer to ``GET /ready``, as the CLI prints it (``'"OK"'``)."""

    # --- the journal (see Config's journal_dir, offline and on_delivery_failure)
    def flush_journal(self) -> FlushReport:
        """Delivers the journal's records to this client's hosts; what it did, per host."""

    def journal_status(self) -> JournalStatus:
        """The journal's pending records, overall and per host."""

    # --- flows and trails
    def create_flow(
        self,
        name: str,
        *,
        description: str | None = None,
        visibility: str | None = None,
        template_file: str | os.PathLike[str] | None = None,
        template_yaml: str | None = None,
    ) -> Outcome:
        """``kosli create flow``: with a template file, YAML text, or the empty template."""

    def create_flow_legacy(
        self,
        name: str,
        template: Sequence[str],
        *,
        description: str | None = None,
        visibility: str | None = None,
    ) -> Outcome:
        """The deprecated ``kosli create flow --template a,b`` (a list of required controls)."""

    def get_flow(self, name: str) -> Flow:
        """``kosli get flow``; an unknown flow is a ``NotFoundError``."""

    def list_flows(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        name_contains: str | None = None,
        ignore_case: bool = False,
    ) -> FlowList:
        """``kosli list flows``: every flow, or a page."""

    def begin_trail(
        self,
        flow: str,
        name: str,
        *,
        description: str | None = None,
        user_data: object = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        template_file: str | os.PathLike[str] | None = None,
        template_yaml: str | None = None,
    ) -> Outcome:
        """``kosli begin trail``: begins the trail, or updates it."""

    # --- artifacts and attestations
    def attest_artifact(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        display_name: str | None = None,
        path: str | os.PathLike[str] | None = None,
        artifact_type: ArtifactType | str | None = None,
        excludes: Sequence[str] = ...,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        build_url: str | None = None,
        commit_url: str | None = None,
        repo_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
    ) -> Outcome:
        """``kosli attest artifact``: an ArtifactRef, a fingerprint and display name, or a path."""

    def attest_junit(
        self,
        flow: str,
        trail: str,
        name: str,
        results: str | os.PathLike[str] | JunitSummary | list[SuiteSummary],
        *,
        upload: bool = True,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest junit``: JUnit results as the attestation ``name`` in a trail."""

    def attest_generic(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        compliant: bool,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest generic``: the caller's verdict as the attestation ``name``."""

    def attest_snyk(
        self,
        flow: str,
        trail: str,
        name: str,
        scan_results: str | os.PathLike[str],
        *,
        upload: bool = True,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest snyk``: a Snyk scan's results file; with ``upload`` it is attached."""

    def attest_custom(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        type_name: str,
        data: object,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest custom``: JSON-able ``data`` of the custom type ``type_name``."""

    def attest_pull_request(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        git_provider: str,
        pull_requests: Sequence[PullRequest],
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest pullrequest``: pull requests the caller fetched from its provider."""

    # --- environments and snapshots
    def create_environment(
        self,
        name: str,
        env_type: str,
        *,
        description: str | None = None,
        included_environments: Sequence[str] = ...,
        include_scaling: bool | None = None,
        require_provenance: bool = False,
    ) -> Outcome:
        """``kosli create environment``; a ``logical`` one groups ``included_environments``."""

    def get_environment(self, name: str) -> Environment:
        """``kosli get environment``; an unknown one is a ``NotFoundError``."""

    def list_environments(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        name_contains: str | None = None,
        env_types: Sequence[str] = ...,
        tags: Sequence[str] = ...,
        space_ids: Sequence[str] = ...,
        sort: str | None = None,
        sort_direction: str | None = None,
    ) -> EnvironmentList:
        """``kosli list environments``: every environment, or a page, filtered and sorted."""

    def snapshot_path(
        self,
        environment: str,
        name: str,
        path: str | os.PathLike[str],
        *,
        excludes: Sequence[str] = ...,
        auto_environment: bool = False,
    ) -> Outcome:
        """``kosli snapshot path``: one file or folder, fingerprinted, running as ``name``."""

    def snapshot_paths(
        self,
        environment: str,
        paths_file: str | os.PathLike[str],
        *,
        auto_environment: bool = False,
    ) -> Outcome:
        """``kosli snapshot paths``: each artifact of a paths spec (YAML, JSON or TOML)."""

    def snapshot_server(
        self,
        environment: str,
        paths: Sequence[str],
        *,
        excludes: Sequence[str] = ...,
        auto_environment: bool = False,
    ) -> Outcome:
        """The deprecated ``kosli snapshot server``: every path the globs match."""

    # --- the compliance gate
    def allow_artifact(
        self,
        environment: str,
        *,
        reason: str,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        artifact_name: str | None = None,
    ) -> Outcome:
        """``kosli allow artifact``: adds an artifact to an environment's allow-list."""

    def assert_artifact(
        self,
        artifact: ArtifactRef | Fingerprint | str,
        *,
        flow: str | None = None,
        environment: str | None = None,
        policies: Sequence[str] | None = None,
    ) -> Verdict:
        """``kosli assert artifact``: Kosli's verdict, compliant or not, with the reasons."""

    # --- artifact reads
    def get_artifact(
        self, flow: str, fingerprint: Fingerprint | str, *, trail: str | None = None
    ) -> Artifact:
        """``kosli get artifact flow@fingerprint`` (a prefix of the fingerprint works too)."""

    def get_artifacts_by_commit(
        self, flow: str, commit: str, *, trail: str | None = None
    ) -> list[Artifact]:
        """``kosli get artifact flow:commit``: the artifacts built from a commit."""

    def list_artifacts(
        self,
        *,
        flow: str | None = None,
        repo: str | None = None,
        page: int = 1,
        per_page: int = 15,
    ) -> ArtifactPage:
        """``kosli list artifacts``: one page, newest first."""

    def list_all_artifacts(
        self,
        *,
        flow: str | None = None,
        repo: str | None = None,
        page: int = 1,
        per_page: int = 15,
    ) -> list[Artifact]:
        """Every artifact ``list_artifacts`` selects, page after page."""

    # --- environment history
    def get_trail(self, flow: str, trail: str) -> Trail:
        """``kosli get trail``; an unknown trail is a ``NotFoundError``."""

    def list_trails(
        self,
        *,
        flow: str | None = None,
        fingerprint: str | None = None,
        flow_tag: str | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> TrailList:
        """``kosli list trails``: a page of trails."""

    def get_snapshot(self, environment: str) -> EnvironmentSnapshot:
        """``kosli get snapshot ENV[#N|~N|@{T}]``."""

    def list_snapshots(
        self,
        environment: str,
        *,
        interval: str | None = None,
        page: int = 1,
        per_page: int = 15,
        reverse: bool = False,
    ) -> list[SnapshotSummary]:
        """``kosli list snapshots``: a page, newest first."""

    def log_environment(
        self,
        environment: str,
        *,
        interval: str | None = None,
        page: int = 1,
        per_page: int = 15,
        reverse: bool = False,
    ) -> list[EnvironmentEvent]:
        """``kosli log environment``: a page of events, newest first."""

    def diff_snapshots(self, first: str, second: str) -> SnapshotDiff:
        """``kosli diff snapshots A B``, with the difference as drift events."""

    # --- runtime snapshots
    def snapshot_docker(
        self,
        environment: str,
        *,
        docker_host: str | None = None,
        auto_environment: bool = False,
        environment_description: str | None = None,
    ) -> Outcome:
        """``kosli snapshot docker``: the containers running on a Docker host."""

    def snapshot_k8s(
        self,
        environment: str,
        *,
        kubeconfig: str | os.PathLike[str] | None = None,
        namespaces: Sequence[str] = ...,
        namespaces_regex: Sequence[str] = ...,
        exclude_namespaces: Sequence[str] = ...,
        exclude_namespaces_regex: Sequence[str] = ...,
        auto_environment: bool = False,
        environment_description: str | None = None,
    ) -> Outcome:
        """``kosli snapshot k8s``: the pods running in a cluster."""

    def report_snapshot(
        self,
        snapshot: CollectedSnapshot,
        *,
        auto_environment: bool = False,
        environment_description: str | None = None,
    ) -> Outcome:
        """Reports a snapshot collected before."""

    # --- deployments
    def deploy(
        self,
        environment: str,
        artifact: ArtifactRef,
        collector: PathsCollector | DockerCollector | K8sCollector,
        step: Callable[[], object],
        *,
        on_mismatch: str = "fail",
        auto_environment: bool = False,
        environment_description: str | None = None,
    ) -> DeployReport:
        """The deployment guard: ``step()`` here, then (only if it did not raise) snapshot and verify."""

    def start_snapshot_loop(
        self,
        environment: str,
        collector: PathsCollector | DockerCollector | K8sCollector,
        *,
        interval: float = 900.0,
        jitter: float = 0.0,
        max_ticks: int | None = None,
        on_tick: Callable[[SnapshotTick], object] | None = None,
    ) -> SnapshotLoop:
        """Snapshots ``environment`` now and every ``interval`` seconds, on its own thread."""

    # --- compliance documents
    def compliance_report(self, flow: str, *, environments: Sequence[str] = ...) -> ComplianceReport:
        """The compliance report of ``flow``: one row per artifact, and the counts."""

    def audit_trail(self, flow: str, fingerprint: str, *, environments: Sequence[str] = ...) -> AuditTrail:
        """The audit trail of one artifact: build, evidence, where it ran."""

    def adoption_metrics(
        self,
        *,
        since: float | None = None,
        until: float | None = None,
        environments: Sequence[str] = ...,
        flows: Sequence[str] = ...,
    ) -> AdoptionMetrics:
        """Adoption metrics over a window (Unix seconds)."""

    # --- policies
    def create_policy(
        self,
        name: str,
        *,
        policy_file: str | os.PathLike[str] | None = None,
        policy_yaml: str | None = None,
        filename: str | None = None,
        description: str | None = None,
        comment: str | None = None,
        policy_type: str | None = None,
    ) -> Outcome:
        """``kosli create policy``: from a YAML file or text."""

    def attach_policy(self, policy: str, environments: Sequence[str]) -> list[Outcome]:
        """``kosli attach-policy``: one outcome per environment."""

    def detach_policy(self, policy: str, environments: Sequence[str]) -> list[Outcome]:
        """``kosli detach-policy``: one outcome per environment."""

    def get_policy(self, name: str) -> Policy:
        """``kosli get policy``; an unknown one is a ``NotFoundError``."""

    def list_policies(self) -> list[Policy]:
        """``kosli list policies``."""

    def get_attestation(self, attestation_id: str) -> Any:
        """An attestation's details by id: the server's answer as plain values."""

    def trail_policy_input(
        self, flow: str, trails: Sequence[str], *, attestations: Sequence[str] = ...
    ) -> dict[str, Any]:
        """The input ``evaluate trail(s)`` gives a policy."""

    def evaluate_input(
        self,
        input: object,
        *,
        policy: str | None = None,
        policy_file: str | os.PathLike[str] | None = None,
        policy_url: str | None = None,
        params: object = None,
        output: str = "table",
        show_input: bool = False,
        assert_allowed: bool = False,
    ) -> PolicyDecision:
        """``kosli evaluate input`` (a ``policy_url`` is fetched by this client)."""

    def evaluate_trail(
        self,
        flow: str,
        trail: str,
        *,
        policy: str | None = None,
        policy_file: str | os.PathLike[str] | None = None,
        policy_url: str | None = None,
        params: object = None,
        attestations: Sequence[str] = ...,
        output: str = "table",
        show_input: bool = False,
        assert_allowed: bool = False,
    ) -> PolicyDecision:
        """``kosli evaluate trail``: a Rego policy against one trail."""

    def evaluate_trails(
        self,
        flow: str,
        trails: Sequence[str],
        *,
        policy: str | None = None,
        policy_file: str | os.PathLike[str] | None = None,
        policy_url: str | None = None,
        params: object = None,
        attestations: Sequence[str] = ...,
        output: str = "table",
        show_input: bool = False,
        assert_allowed: bool = False,
    ) -> PolicyDecision:
        """``kosli evaluate trails``: a Rego policy against several trails."""

    # --- external evidence
    def find_pull_requests(self, source: PrSource, commit: str) -> PullRequestEvidence:
        """The pull requests of ``commit`` at ``source``'s provider."""

    def assert_pull_requests(self, source: PrSource, commit: str) -> PullRequestEvidence:
        """``kosli assert pullrequest``: a ``PolicyDeniedError`` when there is none."""

    def attest_pull_requests_from(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        source: PrSource,
        commit: str,
        assert_found: bool = False,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest pullrequest <provider>``: finds and attests the pull requests."""

    def attest_sonar(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        sonar_api_token: str,
        server_url: str | None = None,
        ce_task_url: str | None = None,
        working_dir: str | None = None,
        project_key: str | None = None,
        revision: str | None = None,
        branch: str | None = None,
        pull_request: str | None = None,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest sonar``: a Sonar analysis and its quality gate."""

    def attest_jira(
        self,
        flow: str,
        trail: str,
        name: str,
        *,
        jira_base_url: str,
        jira_username: str | None = None,
        jira_api_token: str | None = None,
        jira_pat: str | None = None,
        issue_fields: Sequence[str] | None = None,
        project_keys: Sequence[str] = ...,
        secondary_source: str | None = None,
        trailer: str | None = None,
        ignore_branch: bool = False,
        commit_message: str | None = None,
        branch: str | None = None,
        issue_keys: Sequence[str] | None = None,
        artifact: ArtifactRef | None = None,
        fingerprint: Fingerprint | str | None = None,
        git_commit_info: GitCommitInfo | None = None,
        repo_info: RepoInfo | None = None,
        origin_url: str | None = None,
        external_urls: Mapping[str, str] | None = None,
        external_fingerprints: Mapping[str, str] | None = None,
        user_data: object = None,
        description: str | None = None,
        annotations: Mapping[str, str] | None = None,
        attachments: Sequence[str | os.PathLike[str]] = ...,
    ) -> Outcome:
        """``kosli attest jira``: the Jira issues a commit references."""

@final
class Outcome:
    """What became of a write: ``kind`` is "sent", "dry_run", "queued" or "hosts"."""

    @property
    def kind(self) -> str: ...
    @property
    def journal_id(self) -> str | None: ...
    @property
    def failed_hosts(self) -> list[str]: ...
    @property
    def is_complete(self) -> bool: ...
    @property
    def status(self) -> int | None: ...
    @property
    def body(self) -> str | None: ...
    @property
    def dry_run(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Progress:
    """How far an operation has come; totals are ``None`` until known."""

    @property
    def bytes_done(self) -> int: ...
    @property
    def files_done(self) -> int: ...
    @property
    def bytes_total(self) -> int | None: ...
    @property
    def files_total(self) -> int | None: ...
    def to_dict(self) -> dict[str, int | None]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class SuiteSummary:
    """One element of the ``junit_results`` the CLI sends for a JUnit suite."""

    @property
    def name(self) -> str: ...
    @property
    def failures(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def duration(self) -> float: ...
    @property
    def timestamp(self) -> int | None: ...
    def to_dict(self) -> dict[str, str | int | float]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class JunitSummary:
    """The suites of a JUnit results folder and the files they came from."""

    @property
    def suites(self) -> list[SuiteSummary]: ...
    @property
    def files(self) -> list[str]: ...
    @property
    def total(self) -> int: ...
    @property
    def failed(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Finding:
    """One finding of a security scan."""

    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def message(self) -> str: ...
    @property
    def location(self) -> str | None: ...
    def to_dict(self) -> dict[str, str | None]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class ScanSummary:
    """Counts by severity and the findings of a security scan."""

    @property
    def tool(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def critical(self) -> int: ...
    @property
    def high(self) -> int: ...
    @property
    def medium(self) -> int: ...
    @property
    def low(self) -> int: ...
    @property
    def unknown(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def findings(self) -> list[Finding]: ...
    def count(self, severity: Severity | str) -> int: ...
    def at_least(self, severity: Severity | str) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

def parse_scan(path: str | os.PathLike[str]) -> ScanSummary:
    """Reads SARIF 2.1.0 (any scanner) or Trivy JSON into counts by severity and findings."""

def parse_junit(path: str | os.PathLike[str]) -> JunitSummary:
    """Reads JUnit XML results as ``kosli attest junit --results-dir`` does (a folder or a file)."""

def fingerprint_file(
    path: str | os.PathLike[str], *, progress: Callable[[Progress], object] | None = None
) -> Fingerprint:
    """The SHA-256 of a file's bytes, as ``kosli fingerprint --artifact-type file``."""

def fingerprint_dir(
    path: str | os.PathLike[str],
    excludes: Sequence[str] = ...,
    *,
    threads: int | None = None,
    progress: Callable[[Progress], object] | None = None,
) -> Fingerprint:
    """The CLI's digest of a directory, as ``kosli fingerprint --artifact-type dir -x ...``."""

@final
class EvidenceSet:
    """The evidence a local gate is evaluated against."""

    def __new__(
        cls,
        *,
        junit: Sequence[JunitSummary] | None = None,
        scans: Sequence[ScanSummary] | None = None,
        pull_requests: Sequence[PullRequestEvidence | PullRequest] | None = None,
        code_reviews: Sequence[Mapping[str, Any]] | None = None,
        tests: Sequence[Mapping[str, Any]] | None = None,
        attestations: Sequence[Mapping[str, Any]] | None = None,
    ) -> EvidenceSet: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Gate:
    """A local gate: named policies of rules in the seed's YAML shape."""

    @staticmethod
    def from_yaml(text: str) -> Gate: ...
    @staticmethod
    def from_file(path: str | os.PathLike[str]) -> Gate: ...
    @property
    def policies(self) -> list[str]: ...
    def evaluate(self, evidence: EvidenceSet) -> GateVerdict: ...
    def check(self, evidence: EvidenceSet) -> GateVerdict: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CollectedSnapshot:
    """A snapshot collected from a Docker host or a cluster, not reported yet."""

    @property
    def environment(self) -> str: ...
    @property
    def env_type(self) -> str: ...
    @property
    def artifact_count(self) -> int: ...
    @property
    def skipped(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class PathsCollector:
    """What snapshots a server environment: a path, a paths spec file, or globs."""

    @staticmethod
    def path(
        name: str, path: str | os.PathLike[str], *, excludes: Sequence[str] = ...
    ) -> PathsCollector: ...
    @staticmethod
    def spec_file(path: str | os.PathLike[str]) -> PathsCollector: ...
    @staticmethod
    def server(patterns: Sequence[str], *, excludes: Sequence[str] = ...) -> PathsCollector: ...

@final
class DockerCollector:
    """What snapshots a Docker host (as ``snapshot_docker``), for ``deploy`` and the loop."""

    def __new__(cls, *, docker_host: str | None = None) -> DockerCollector: ...

@final
class K8sCollector:
    """What snapshots a Kubernetes cluster (as ``snapshot_k8s``), for ``deploy`` and the loop."""

    def __new__(
        cls,
        *,
        kubeconfig: str | os.PathLike[str] | None = None,
        namespaces: Sequence[str] = ...,
        namespaces_regex: Sequence[str] = ...,
        exclude_namespaces: Sequence[str] = ...,
        exclude_namespaces_regex: Sequence[str] = ...,
    ) -> K8sCollector: ...

@final
class SnapshotLoop:
    """A snapshot loop on its own thread: ``stop()``, ``join()``; a context manager."""

    def stop(self) -> None: ...
    @property
    def running(self) -> bool: ...
    def join(self, timeout: float | None = None) -> LoopSummary | None: ...
    def __enter__(self) -> SnapshotLoop: ...
    def __exit__(self, *_exc: object) -> bool: ...

@final
class PrSource:
    """Where to look pull requests up: a provider, its repository and credentials."""

    @staticmethod
    def github(org: str, repository: str, *, token: str, base_url: str | None = None) -> PrSource: ...
    @staticmethod
    def gitlab(org: str, repository: str, *, token: str, base_url: str | None = None) -> PrSource: ...
    @staticmethod
    def bitbucket(
        workspace: str,
        repository: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
    ) -> PrSource: ...
    @staticmethod
    def azure(org_url: str, project: str, repository: str, *, token: str) -> PrSource: ...
    @property
    def provider(self) -> str: ...

def evaluate_input(
    input: object,
    *,
    policy: str | None = None,
    policy_file: str | os.PathLike[str] | None = None,
    params: object = None,
    output: str = "table",
    show_input: bool = False,
    assert_allowed: bool = False,
) -> PolicyDecision:
    """``kosli evaluate input``: a Rego policy evaluated in-process for ``input``."""

def fingerprint_image(
    name: str,
    artifact_type: ArtifactType | str | None = None,
    *,
    registry_username: str | None = None,
    registry_password: str | None = None,
    insecure_registries: Sequence[str] | None = None,
    auth_files: Sequence[str | os.PathLike[str]] | None = None,
    ca_bundle: str | os.PathLike[str] | None = None,
    docker_host: str | None = None,
) -> Fingerprint:
    """``kosli fingerprint --artifact-type oci|docker`` (oci by default)."""

def collect_docker_snapshot(environment: str, *, docker_host: str | None = None) -> CollectedSnapshot:
    """The running containers of a Docker Engine, for ``environment``."""

def collect_k8s_snapshot(
    environment: str,
    *,
    kubeconfig: str | os.PathLike[str] | None = None,
    namespaces: Sequence[str] = ...,
    namespaces_regex: Sequence[str] = ...,
    exclude_namespaces: Sequence[str] = ...,
    exclude_namespaces_regex: Sequence[str] = ...,
) -> CollectedSnapshot:
    """The running pods of a Kubernetes cluster, for ``environment``."""

def diff_running(
    before: Sequence[RunningArtifact | Mapping[str, Any]],
    after: Sequence[RunningArtifact | Mapping[str, Any]],
) -> Drift:
    """The local drift between two lists of running artifacts."""

def _render_report(document: str, format: str) -> str:
    """A compliance document (its JSON, with ``kind``) rendered by the core."""

def _unsupported_rego_builtins() -> list[str]:
    """The Rego builtins the SDK refuses by name."""

def _parse_junit_xml(xml: bytes) -> list[SuiteSummary]:
    """The suites of a JUnit XML document in memory (the pytest plugin's session results)."""

def _error_classes() -> list[tuple[str, str]]:
    """``(ErrorKind name, class name)`` for every kind of the core, in code order."""

def _operation_names() -> list[str]:
    """The names of the core's API operations."""

__all__ = [
    "__version__",
    "Fingerprint",
    "ArtifactRef",
    "Config",
    "Client",
    "Outcome",
    "Progress",
    "SuiteSummary",
    "JunitSummary",
    "ScanSummary",
    "Finding",
    "fingerprint_file",
    "fingerprint_dir",
    "parse_junit",
    "_parse_junit_xml",
    "parse_scan",
    "_error_classes",
    "_operation_names",
    "EvidenceSet",
    "Gate",
    "CollectedSnapshot",
    "PathsCollector",
    "DockerCollector",
    "K8sCollector",
    "SnapshotLoop",
    "PrSource",
    "evaluate_input",
    "fingerprint_image",
    "collect_docker_snapshot",
    "collect_k8s_snapshot",
    "diff_running",
    "_unsupported_rego_builtins",
    "_render_report",
]
