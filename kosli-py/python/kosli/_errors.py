"""The exceptions of the Kosli SDK: one class per kind of DESIGN.md's error table.

Every class derives from :class:`KosliError`, and from the builtin that fits where one does
(``ValueError``, ``OSError``/``FileNotFoundError``, ``TimeoutError``), so ``except ValueError``
keeps working for code that does not know this package. The native module builds them through one
conversion from the core's error (``kosli-py/src/errors.rs``), which also chains the core error's
sources as ``__cause__``.

The classes are plain Python (not Rust types) because only Python classes can have two bases,
such as ``KosliError`` and ``ValueError``.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

__all__ = [
    "ApiError",
    "AuthError",
    "CancelledError",
    "ConfigError",
    "FingerprintError",
    "InvalidInputError",
    "JournalError",
    "KosliError",
    "KosliFileNotFoundError",
    "KosliIOError",
    "KosliTimeoutError",
    "KosliWarning",
    "NetworkError",
    "NotFoundError",
    "ParseError",
    "PolicyDeniedError",
]


def _rebuild(cls: type[KosliError], message: str, details: dict[str, Any]) -> KosliError:
    """Unpickles an error: calls its class as the SDK did."""
    return cls(message, **details)


class KosliError(Exception):
    """The base of every error the Kosli SDK raises; ``str(err)`` is the whole message."""

    #: The core's ``ErrorKind`` name (``"InvalidInput"``, ``"Io"``, ...).
    kind: ClassVar[str] = ""
    #: The whole message, as the official CLI words it where the CLI has the same failure.
    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def _details(self) -> dict[str, Any]:
        """The keyword arguments the class was built with (for pickling)."""
        return {}

    def __reduce__(self) -> tuple[Any, ...]:
        # The builtin bases pickle their own ``args``, which do not match our constructors.
        return (_rebuild, (type(self), self.message, self._details()))


class InvalidInputError(KosliError, ValueError):
    """A bad argument or name; ``what`` names the argument, option or pattern at fault."""

    kind = "InvalidInput"

    def __init__(self, message: str, *, what: str | None = None) -> None:
        super().__init__(message)
        self.what = what

    def _details(self) -> dict[str, Any]:
        return {"what": self.what}


class KosliIOError(KosliError, OSError):
    """A file could not be read or written; ``errno``, ``strerror`` and ``filename`` as OSError's."""

    kind = "Io"

    def __init__(
        self, message: str, *, errno: int | None = None, filename: str | None = None
    ) -> None:
        if errno is None:
            OSError.__init__(self, message)
        else:
            OSError.__init__(self, errno, os.strerror(errno), filename)
        self.message = message
        # OSError drops the file name when there is no errno; keep it anyway.
        self.filename = filename

    def _details(self) -> dict[str, Any]:
        return {"errno": self.errno, "filename": self.filename}


class KosliFileNotFoundError(KosliIOError, FileNotFoundError):
    """A file or folder does not exist (an :class:`KosliIOError` that is a FileNotFoundError)."""


class FingerprintError(KosliError):
    """An artifact could not be fingerprinted (not a directory, a named pipe, ...)."""

    kind = "Fingerprint"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def _details(self) -> dict[str, Any]:
        return {"path": self.path}


class ParseError(KosliError):
    """Malformed JUnit, SARIF, YAML or JSON; ``file`` and ``line`` locate it when known."""

    kind = "Parse"

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line

    def _details(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


class ConfigError(KosliError):
    """Bad or missing configuration."""

    kind = "Config"


class NetworkError(KosliError):
    """The connection failed after retries."""

    kind = "Network"


class KosliTimeoutError(KosliError, TimeoutError):
    """A time budget ran out."""

    kind = "Timeout"


class ApiError(KosliError):
    """The server answered with an error: ``status`` is the HTTP status, ``message`` its text."""

    kind = "Api"

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status

    def _details(self) -> dict[str, Any]:
        return {"status": self.status}


class AuthError(ApiError):
    """The server refused the credentials (401 or 403)."""

    kind = "Auth"


class NotFoundError(ApiError):
    """The server has no such thing (404)."""

    kind = "NotFound"

    def __init__(self, message: str, *, status: int = 404) -> None:
        super().__init__(message, status=status)


class JournalError(KosliError):
    """The journal could not record or deliver."""

    kind = "Journal"


class PolicyDeniedError(KosliError):
    """A gate or policy said no; ``reasons`` holds one line per failed rule."""

    kind = "PolicyDenied"

    def __init__(self, message: str, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = list(reasons or [])

    def _details(self) -> dict[str, Any]:
        return {"reasons": self.reasons}


class CancelledError(KosliError):
    """The caller cancelled (a progress callback returned ``False``)."""

    kind = "Cancelled"


class KosliWarning(UserWarning):
    """Something the official CLI prints as a ``[warning]``: the call succeeded, but look."""


# Shown (and pickled) as `kosli.X`, where users import them from.
for _name in __all__:
    globals()[_name].__module__ = "kosli"

del _name
