"""The Kosli pytest plugin (entry point ``pytest11``: ``kosli``).

Inactive unless asked. ``pytest --kosli-flow F --kosli-trail T --kosli-name unit-tests`` attests
the session's results as a JUnit attestation at the end of the run, built from the run itself
(no XML file): host, API token and org come from the ``KOSLI_*`` variables (or
``~/.kosli.yml``), as for the CLI; ``KOSLI_DRY_RUN=true`` (or the token ``DRY_RUN``) prints the
request instead of sending it. With a journal (``KOSLI_JOURNAL_DIR``), an attestation Kosli
cannot take now is queued for later and the session's exit status is untouched; without one, a
Kosli failure is reported at the end of the run and, when the tests passed, turns the exit status
into 3 (``INTERNAL_ERROR``), so that missing evidence does not go unnoticed.

The results are the ``junit_results`` that ``kosli attest junit`` sends for the file
``pytest --junitxml`` writes for that session (with pytest's default ``junit_*`` settings): one
suite named ``pytest``, xfail counted as skipped, setup and teardown errors as errors, a failed
call followed by a failed teardown as two testcases, collection errors as errors.
:class:`SessionResults` builds the same JUnit XML in memory and parses it with the SDK's parser,
so counts, durations and the timestamp follow the official CLI's rules exactly.

Differences from the ``--junitxml`` file: a session that uses ``record_testsuite_property``
gets a ``<properties>`` element there, which makes the CLI drop the timestamp; the collector does
not see those properties, so it keeps the timestamp. The git commit and CI information the CLI
adds to an attestation is not sent (yet).

To use the collector yourself (in a ``conftest.py``)::

    from kosli.pytest_plugin import SessionResults

    def pytest_configure(config):
        config.pluginmanager.register(SessionResults(), "kosli-session-results")
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
import pytest

from kosli._errors import KosliError
from kosli._kosli import Client, Outcome, SuiteSummary, _parse_junit_xml

__all__ = ["SessionAttestation", "SessionResults", "pytest_addoption", "pytest_configure"]

#: Characters XML 1.0 cannot hold (pytest's ``bin_xml_escape`` rewrites them too).
_ILLEGAL_XML = re.compile(
    "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass
class _Case:
    """One ``<testcase>``: its status elements in order and its accumulated duration."""

    name: str
    statuses: list[str] = field(default_factory=list)
    duration: float = 0.0


class SessionResults:
    """Collects a pytest session's results as ``--junitxml`` would write them, in memory.

    Register an instance as a plugin before the session starts; after it, :meth:`junit_results`
    gives the suites the CLI would send for that session's JUnit file.
    """

    def __init__(self) -> None:
        self._open: dict[tuple[str, object], _Case] = {}
        self._cases: list[_Case] = []
        # Reports whose call failed, so that a failing teardown opens a second testcase.
        self._failed_calls: list[tuple[str, object]] = []
        self._start: float | None = None

    # -- pytest hooks (pytest finds them by name) -------------------------------------------

    def pytest_sessionstart(self) -> None:
        self._start = time.time()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        key = (report.nodeid, getattr(report, "node", None))
        if report.passed:
            if report.when == "call":
                self._case(key)
        elif report.failed:
            if report.when == "teardown" and key in self._failed_calls:
                # pytest closes the failed call's testcase and reports the teardown error in a
                # new one, to follow the JUnit schema.
                self._open.pop(key, None)
            if report.when == "call":
                self._case(key).statuses.append(
                    "skipped" if hasattr(report, "wasxfail") else "failure"
                )
                self._failed_calls.append(key)
            else:
                self._case(key).statuses.append("error")
        elif report.skipped:
            self._case(key).statuses.append("skipped")
        # pytest's default junit_duration_report is "total": setup, call and teardown.
        self._case(key).duration += getattr(report, "duration", 0.0)
        if report.when == "teardown":
            self._case(key)
            self._open.pop(key, None)
            if key in self._failed_calls:
                self._failed_calls.remove(key)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if not report.passed:
            key = (report.nodeid, getattr(report, "node", None))
            self._case(key).statuses.append("error" if report.failed else "skipped")

    def pytest_internalerror(self) -> None:
        case = self._case(("internal", None))
        case.statuses.append("error")

    # -- results ----------------------------------------------------------------------------

    def junit_xml(self) -> bytes:
        """The session's results as the JUnit XML ``--junitxml`` writes (without the output,
        messages and tracebacks, which are not part of the summary)."""
        suite = ET.Element("testsuite", name="pytest")
        if self._start is not None:
            # pytest writes the local time with its offset; the CLI only reads UTC ones.
            started = datetime.fromtimestamp(self._start, timezone.utc).astimezone()
            suite.set("timestamp", started.isoformat())
        for case in self._cases:
            element = ET.SubElement(
                suite,
                "testcase",
                name=_ILLEGAL_XML.sub("?", case.name),
                time=f"{case.duration:.3f}",
            )
            for status in case.statuses:
                ET.SubElement(element, status)
        root = ET.Element("testsuites", name="pytest tests")
        root.append(suite)
        return ET.tostring(root, encoding="utf-8")

    def junit_results(self) -> list[SuiteSummary]:
        """The ``junit_results`` the CLI sends for this session's ``--junitxml`` file."""
        return _parse_junit_xml(self.junit_xml())

    def _case(self, key: tuple[str, object]) -> _Case:
        case = self._open.get(key)
        if case is None:
            case = _Case(name=key[0])
            self._open[key] = case
            self._cases.append(case)
        return case


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kosli", "Kosli: attest this session's test results")
    group.addoption("--kosli-flow", metavar="FLOW", help="the Kosli flow of the trail")
    group.addoption("--kosli-trail", metavar="TRAIL", help="the trail to attest in")
    group.addoption(
        "--kosli-name",
        metavar="NAME",
        help="the attestation's name (unit-tests, or app.unit-tests for the artifact app)",
    )


def pytest_configure(config: pytest.Config) -> None:
    flow = config.getoption("kosli_flow")
    trail = config.getoption("kosli_trail")
    name = config.getoption("kosli_name")
    if flow is None and trail is None and name is None:
        return  # not asked: the plugin does nothing
    if not (flow and trail and name):
        raise pytest.UsageError("--kosli-flow, --kosli-trail and --kosli-name are given together")
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller sees every result and attests
    config.pluginmanager.register(SessionAttestation(flow, trail, name), "kosli-attestation")


class SessionAttestation(SessionResults):
    """Attests the session's results as a JUnit attestation when the session ends."""

    def __init__(self, flow: str, trail: str, name: str) -> None:
        super().__init__()
        self.flow, self.trail, self.name = flow, trail, name
        self.outcome: Outcome | None = None
        self.error: KosliError | None = None

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        try:
            client = Client()  # the KOSLI_* variables and ~/.kosli.yml, as the CLI
            self.outcome = client.attest_junit(
                self.flow, self.trail, self.name, self.junit_results(), upload=False
            )
        except KosliError as err:
            self.error = err
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        where = f"{self.name} in {self.flow}/{self.trail}"
        if self.error is not None:
            terminalreporter.write_sep(
                "!", f"kosli: attesting {where} failed: {self.error}", red=True
            )
        elif self.outcome is not None and self.outcome.kind == "dry_run":
            terminalreporter.write_sep("-", f"kosli: dry run, {where} not sent")
            terminalreporter.write_line(self.outcome.dry_run or "")
        elif self.outcome is not None and self.outcome.kind == "queued":
            terminalreporter.write_sep(
                "-",
                f"kosli: {where} queued in the journal ({self.outcome.journal_id}), "
                "to be delivered later",
                yellow=True,
            )
        elif self.outcome is not None:
            failed = self.outcome.failed_hosts
            extra = f" (failed on {', '.join(failed)})" if failed else ""
            terminalreporter.write_sep("-", f"kosli: attested {where}{extra}")
