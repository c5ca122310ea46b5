"""A backup reads a snapshot: staff log in and save while it runs, and it carries none of that."""

import io
import json
import threading
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections
from django.test import Client
from django.urls import reverse

from articles.archive_io import export_archive
from articles.archive_snapshot import archive_snapshot
from articles.models import Issue


class ActingStream(io.StringIO):
    """A stream that, at the export's first write (the snapshot taken, nothing read yet from it),
    lets another actor run to its end before the export goes on."""

    def __init__(self, act) -> None:
        super().__init__()
        self.act = act

    def write(self, text: str) -> int:
        if self.act is not None:
            act, self.act = self.act, None
            act()
        return super().write(text)


def in_another_thread(work) -> list:
    """Run `work` in a thread with its own database connection; returns what it raised."""
    raised: list = []

    def run() -> None:
        try:
            work()
        except (AssertionError, DatabaseError) as error:  # a refused login, a locked database
            raised.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    return raised


@pytest.mark.django_db(transaction=True)
def test_a_login_and_a_save_complete_while_an_export_runs(
    seed_page, django_user_model, monkeypatch
):
    if connection.vendor == "sqlite":  # a writer the export blocked would fail in 2 s, not 20
        monkeypatch.setitem(connections.settings["default"]["OPTIONS"], "timeout", 2)
    django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-passphrase")

    def staff_work() -> None:
        response = Client().post(
            reverse("admin:login"),
            {"username": "boss", "password": "a-long-passphrase", "next": "/admin/"},
        )
        assert response.status_code == 302, response.status_code
        Issue.objects.update(note="导出期间的修改")

    raised: list = []
    stream = ActingStream(lambda: raised.extend(in_another_thread(staff_work)))
    export_archive(stream)

    assert raised == []
    assert Issue.objects.get().note == "导出期间的修改"
    exported = [json.loads(line) for line in stream.getvalue().splitlines()[1:]]
    issues = [row["fields"] for row in exported if row["model"] == "articles.issue"]
    users = {r["fields"]["username"]: r["fields"] for r in exported if r["model"] == "auth.user"}
    assert [issue["note"] for issue in issues] == [""]  # the snapshot, from before the save
    assert users["boss"]["last_login"] is None


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_copy_is_removed_after_the_export(seed_page):
    if connection.vendor != "sqlite":
        pytest.skip("the copy is SQLite's way; PostgreSQL reads a REPEATABLE READ snapshot")
    folder = Path(connection.settings_dict["NAME"]).parent
    before = set(connections)

    with archive_snapshot() as alias:
        assert alias != "default"
        assert Issue.objects.using(alias).count() == 1

    assert set(connections) == before
    assert not list(Path(folder).glob(".backup-*"))
