"""Production settings come from the environment and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsarchive.settings import env_bool, env_number
from tests.conftest import REPO


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NEWSARCHIVE_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_strong_secret_key(tmp_path):
    for key in ("", "short"):
        result = manage(tmp_path, "check", DEBUG="false", SECRET_KEY=key)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_the_search_engine_is_chosen_by_configuration(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.HAYSTACK_CONNECTIONS['default'])",
        HAYSTACK_ENGINE="articles.search.elasticsearch.ArticleElasticsearchEngine",
        ELASTICSEARCH_URL="http://search.internal:9200/",
        ELASTICSEARCH_CHINESE_ANALYZER="smartcn",
    )
    assert result.returncode == 0, result.stderr
    assert "'URL': 'http://search.internal:9200/'" in result.stdout
    assert "'CHINESE_ANALYZER': 'smartcn'" in result.stdout
    assert "PATH" not in result.stdout


def test_a_boolean_setting_that_is_not_a_boolean_stops_the_start_naming_it(tmp_path):
    result = manage(tmp_path, "check", HTTPS="ture")
    assert result.returncode != 0
    assert "HTTPS must be one of true/false/1/0/yes/no, not 'ture'" in result.stderr


@pytest.mark.parametrize("value", ["off", "2", "enabled", "ture"])
def test_env_bool_refuses_other_words(monkeypatch, value):
    monkeypatch.setenv("SEARCH_INDEX_WORKER", value)
    with pytest.raises(ImproperlyConfigured, match="SEARCH_INDEX_WORKER must be one of"):
        env_bool("SEARCH_INDEX_WORKER", default=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("1", True), ("TRUE", True), ("no", False), ("0", False), ("", True)],
)
def test_env_bool_reads_the_documented_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SEARCH_INDEX_WORKER", value)
    assert env_bool("SEARCH_INDEX_WORKER", default=True) is expected


def test_a_first_issue_date_that_is_not_a_date_stops_the_start(tmp_path):
    result = manage(tmp_path, "check", NEWSARCHIVE_FIRST_ISSUE_DATE="1949-13-01")
    assert result.returncode != 0
    assert "NEWSARCHIVE_FIRST_ISSUE_DATE must be YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SEARCH_INDEX_BATCH", "0", "SEARCH_INDEX_BATCH must be an integer >= 1, not '0'"),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be an integer >= 1, not 'five'"),
        ("SEARCH_INDEX_POLL_SECONDS", "-1", "SEARCH_INDEX_POLL_SECONDS must be a number >= 0.1"),
        ("SEARCH_WRITE_TIMEOUT", "nan", "SEARCH_WRITE_TIMEOUT must be a number >= 0.0"),
    ],
)
def test_a_number_setting_out_of_range_stops_the_start_naming_it(tmp_path, name, value, expected):
    result = manage(tmp_path, "check", **{name: value})
    assert result.returncode != 0
    assert expected in result.stderr


@pytest.mark.parametrize(
    ("value", "default", "expected"), [("7", 5, 7), (" 2.5 ", 2.0, 2.5), ("", 5, 5)]
)
def test_env_number_reads_integers_and_floats_by_the_default_type(
    monkeypatch, value, default, expected
):
    monkeypatch.setenv("SEARCH_INDEX_BATCH", value)
    number = env_number("SEARCH_INDEX_BATCH", default, minimum=1)
    assert (number, type(number)) == (expected, type(default))


def test_env_number_refuses_a_float_where_an_integer_is_expected(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "2.5")
    with pytest.raises(ImproperlyConfigured, match="GUNICORN_THREADS must be an integer >= 1"):
        env_number("GUNICORN_THREADS", 4, minimum=1)
