"""Config: keyword arguments, and the CLI's resolution order with Config.load."""

from __future__ import annotations

from pathlib import Path

import pytest

import kosli

KOSLI_VARS = (
    "KOSLI_HOST", "KOSLI_API_TOKEN", "KOSLI_ORG", "KOSLI_MAX_API_RETRIES", "KOSLI_HTTP_PROXY",
    "KOSLI_DRY_RUN", "KOSLI_CONFIG_FILE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in KOSLI_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.kosli.yml


def test_defaults_are_the_clis() -> None:
    c = kosli.Config()
    assert c.hosts == ["https://app.kosli.com"]
    assert (c.org, c.has_api_token, c.max_api_retries, c.dry_run) == (None, False, 3, False)
    assert (c.attempt_timeout, c.total_timeout, c.http_proxy) == (None, None, None)
    assert c.config_file is None and c.warnings == []


def test_keyword_arguments() -> None:
    c = kosli.Config(
        host="http://127.0.0.1:8080,http://127.0.0.1:8081",
        api_token="t1,t2",
        org="acme",
        max_api_retries=0,
        http_proxy="http://user:secret@proxy:3128",
        total_timeout=2.5,
        connect_timeout=1,
    )
    assert c.hosts == ["http://127.0.0.1:8080", "http://127.0.0.1:8081"]
    assert (c.org, c.max_api_retries, c.total_timeout, c.connect_timeout) == ("acme", 0, 2.5, 1.0)
    assert c.http_proxy == "http://user:redacted@proxy:3128/"
    assert c.has_api_token
    text = repr(c)
    assert "t1" not in text and "secret" not in text
    assert text.startswith("Config(hosts=['http://127.0.0.1:8080', 'http://127.0.0.1:8081'], org='acme'")


def test_the_environment_only_counts_with_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOSLI_ORG", "env-org")
    monkeypatch.setenv("KOSLI_API_TOKEN", "env-token")
    assert kosli.Config().org is None
    assert kosli.Config.load().org == "env-org"
    assert kosli.Config.load(org="arg-org").org == "arg-org"
    assert kosli.Config.load().has_api_token


def test_load_reads_the_config_file_after_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    file = tmp_path / "k.yml"
    file.write_text("org: file-org\nhost: http://127.0.0.1:1\nmax-api-retries: 5\n")
    c = kosli.Config.load(config_file=file)
    assert (c.org, c.hosts, c.max_api_retries, c.config_file) == (
        "file-org", ["http://127.0.0.1:1"], 5, file,
    )  # fmt: skip
    monkeypatch.setenv("KOSLI_ORG", "env-org")
    monkeypatch.setenv("KOSLI_CONFIG_FILE", str(file))
    c = kosli.Config.load()
    assert (c.org, c.max_api_retries) == ("env-org", 5)


def test_a_plain_text_token_in_the_file_warns(tmp_path: Path) -> None:
    file = tmp_path / "k.yml"
    file.write_text("api-token: file-token\n")
    with pytest.warns(kosli.KosliWarning) as record:
        c = kosli.Config.load(config_file=file)
    assert [str(w.message) for w in record] == c.warnings
    assert "as plain text" in c.warnings[1]
    assert c.has_api_token and len(c.warnings) == 2


def test_bad_settings_are_typed_errors() -> None:
    with pytest.raises(kosli.ConfigError, match="the scheme must be http or https"):
        kosli.Config(host="ftp://example.com")
    with pytest.raises(kosli.ConfigError, match="invalid http proxy URL"):
        kosli.Config(http_proxy="::nope")
    with pytest.raises(kosli.InvalidInputError, match="total_timeout must be a number of seconds"):
        kosli.Config(total_timeout=-1)
    with pytest.raises(OverflowError):
        kosli.Config(max_api_retries=-1)
    with pytest.raises(TypeError):
        kosli.Config("https://app.kosli.com")  # type: ignore[call-arg]
