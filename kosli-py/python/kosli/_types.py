"""Plain Python value types of the Kosli SDK."""

from __future__ import annotations

import enum
from typing import Any, TypedDict

__all__ = [
    "ArtifactType",
    "GitCommitInfo",
    "PrApprover",
    "PrCommit",
    "PullRequest",
    "RepoInfo",
    "Severity",
]


class ArtifactType(str, enum.Enum):
    """How an artifact's fingerprint is computed, as the CLI's ``--artifact-type`` names it.

    Members are strings (``ArtifactType.DIR == "dir"``), so either form is accepted wherever an
    artifact type is asked for.
    """

    def __new__(cls, value: str) -> ArtifactType:
        # Spelled out so that type checkers see `ArtifactType("dir")`, not str's constructor;
        # Enum keeps this for building members and looks values up with its own __new__.
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    #: The SHA-256 of one file's bytes.
    FILE = "file"
    #: The CLI's directory digest.
    DIR = "dir"
    #: An image's manifest digest read from its registry.
    OCI = "oci"
    #: An image's repo digest read from a local Docker Engine.
    DOCKER = "docker"

    def __str__(self) -> str:
        return self.value



class Severity(str, enum.Enum):
    """How severe a scan finding is, most severe first (a string: ``Severity.HIGH == "high"``)."""

    def __new__(cls, value: str) -> Severity:
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    #: CVSS >= 9.0, or named critical.
    CRITICAL = "critical"
    #: CVSS >= 7.0, named high, or SARIF level error.
    HIGH = "high"
    #: CVSS >= 4.0, named medium, or SARIF level warning.
    MEDIUM = "medium"
    #: CVSS > 0, named low, or SARIF level note.
    LOW = "low"
    #: Nothing says.
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


# Optional keys through a `total=False` subclass: `NotRequired` needs Python 3.11 and the wheel
# supports 3.10 without dependencies.
class _GitCommitInfoFields(TypedDict):
    #: The full 40-hex commit id.
    sha1: str
    #: The whole commit message.
    message: str
    #: ``Name <email>``.
    author: str
    #: The author time (Unix seconds).
    timestamp: int
    #: The branch checked out (``""`` when HEAD is detached).
    branch: str


class GitCommitInfo(_GitCommitInfoFields, total=False):
    """The commit a report came from, as the wire's ``git_commit_info`` (an input)."""

    #: The commit's web URL.
    url: str


class RepoInfo(TypedDict, total=False):
    """The repository a report came from, as the wire's ``repo_info`` (an input); sent only
    when ``id``, ``name`` and ``url`` are all given (the CLI's rule)."""

    url: str
    name: str
    id: str
    description: str
    provider: str
    namespace_path: list[str]
    additional_info: dict[str, Any]


class PrApprover(TypedDict):
    """An approving review of a pull request."""

    username: str
    state: str
    timestamp: int


class _PrCommitFields(TypedDict):
    sha1: str
    message: str
    author: str
    timestamp: int
    branch: str
    url: str


class PrCommit(_PrCommitFields, total=False):
    """A commit of a pull request."""

    author_username: str
    verified: bool
    signature_state: str


class _PullRequestFields(TypedDict):
    merge_commit: str
    url: str
    state: str
    approvers: list[PrApprover]
    author: str
    created_at: int
    title: str
    head_ref: str
    base_ref: str
    commits: list[PrCommit]


class PullRequest(_PullRequestFields, total=False):
    """One pull request for ``Client.attest_pull_request``, in the wire's fields."""

    merged_at: int


# Shown (and pickled) as `kosli.X`, where users import them from.
for _name in __all__:
    globals()[_name].__module__ = "kosli"

del _name
