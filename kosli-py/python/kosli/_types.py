"""Plain Python value types of the Kosli SDK."""

from __future__ import annotations

import enum

__all__ = ["ArtifactType", "Severity"]


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

# Shown (and pickled) as `kosli.X`, where users import them from.
for _name in __all__:
    globals()[_name].__module__ = "kosli"

del _name
