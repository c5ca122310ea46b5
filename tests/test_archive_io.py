import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from haystack.query import SearchQuerySet

from articles.archive_io import (
    archive_models,
    database_counts,
    export_archive,
    import_archive,
    open_archive,
)
from articles.corrections import editable_values, record_revision
from articles.ingest import ingest_page_bytes
from articles.layout_service import add_page_correction, page_parse
from articles.models import (
    Article,
    Credit,
    Issue,
    Organization,
    OrganizationAlias,
    Page,
    PendingIndexUpdate,
    Person,
    UnionDecision,
)
from articles.page_images import attach_scan, read_scan
from articles.search.rebuild import rebuild_search_index
from articles.upload import confirm_upload, stage_upload, staged_files
from articles.upload_files import PageFile

from .conftest import DATA, ROUNDTRIP_DB
from .printed_pages import page_image_bytes

SEED_DATE = datetime.date(2024, 3, 12)

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything the export must carry, by natural keys."""
    return {
        "counts": database_counts(),
        "articles": sorted(
            (a.page.issue.date, a.page.number, a.seq, a.headline, tuple(a.paragraphs), a.kind)
            for a in Article.objects.select_related("page__issue")
        ),
        "credits": sorted(
            Credit.objects.values_list("article__headline", "person__name", "role", "seq")
        ),
        "links": sorted(
            Article.organizations.through.objects.values_list(
                "article__headline", "organization__name"
            )
        ),
        "aliases": sorted(OrganizationAlias.objects.values_list("organization__name", "name")),
        "parents": sorted(Organization.objects.values_list("name", "parent__name")),
        "pages": sorted(
            Page.objects.values_list("issue__date", "number", "source_sha256", "banners")
        ),
    }


def test_export_then_import_into_an_empty_database_keeps_everything(tmp_path):
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    city = Organization.objects.get(name="北京市总工会")
    child = Organization.objects.exclude(pk=city.pk).first()
    child.parent = city
    child.save()
    before = snapshot()
    path = tmp_path / "archive.jsonl.gz"
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out)
    assert "7 articles" in out.getvalue()

    for model in (Article, Page, Issue, Person, OrganizationAlias, PendingIndexUpdate):
        model.objects.all().delete()
    Organization.objects.all().delete()
    assert not any(database_counts().values())

    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    assert "imported and verified: 1 issues, 1 pages, 7 persons" in out.getvalue()
    assert snapshot() == before
    assert SearchQuerySet().models(Article).count() == 7
    assert not PendingIndexUpdate.objects.exists()  # indexed once, by a rebuild, not queued


def test_import_refuses_a_non_empty_archive_and_a_count_mismatch(tmp_path):
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    path = tmp_path / "archive.jsonl"
    call_command("export_archive", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_archive", str(path), stdout=io.StringIO())

    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["counts"]["article"] += 1
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    Issue.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert not any(database_counts().values())


def all_rows(using: str = "default") -> dict[str, list[tuple]]:
    """Every concrete field of every row of every exported model, in id order; a user by name
    (user ids belong to each database, not to the archive)."""

    def plain(row, field):
        if field.is_relation and field.related_model is get_user_model():
            user = getattr(row, field.name)
            return user.username if user else None
        value = getattr(row, field.attname)
        return bytes(value) if isinstance(value, memoryview) else value

    return {
        model._meta.label: [
            tuple(plain(row, f) for f in model._meta.concrete_fields)
            for row in model.objects.using(using).order_by("pk")
        ]
        for model in archive_models()
    }


def build_full_archive(user) -> None:
    """At least one row of every archive model, with the fields the old export dropped set."""
    seed = (DATA / "seed_page.txt").read_text(encoding="utf-8")
    stage = stage_upload(user, SEED_DATE, 7, [PageFile("02.txt", seed.encode(), 2)])
    confirm_upload(stage, user, {f.key: "" for f in staged_files(stage)})
    stage_upload(user, SEED_DATE, 7, [PageFile("03.txt", b"\xef\xbb\xbfstaged bytes", 3)])
    without_one = "".join(
        line for line in seed.splitlines(keepends=True) if not line.startswith("工余时间")
    )
    ingest_page_bytes(without_one.encode(), issue_date=SEED_DATE, page_number=2, source="02.txt")
    Issue.objects.update(note="春节合刊")
    Page.objects.update(name="要闻", paper="劳动午报", section="工会")
    # An editor's layout correction: the title block it teaches travels too.
    page, lead = Page.objects.get(), page_parse(Page.objects.get()).articles[0]
    # The line below a kicker is its headline: one correction moves both lines.
    add_page_correction(page, {"op": "role", "text": lead.headline, "role": "kicker"}, user=user)
    # The page's image: the row travels in the archive, the file stays in the media storage.
    attach_scan(Page.objects.get(), read_scan("02.png", page_image_bytes()))
    city = Organization.objects.get(name="北京市总工会")
    Organization.objects.exclude(pk=city.pk).filter(needs_review=True).update(
        parent=city, kind=Organization.Kind.ENTERPRISE
    )
    # An editor's decision on a union name a parse brought in (articles.union_review).
    UnionDecision.objects.create(name="讲堂丰台园工会", action="rejected", decided_by=user)
    article = Article.objects.order_by("pk").first()
    before = editable_values(article)
    article.correction = "原文记者姓名有误，已更正。"
    article.save()
    record_revision(article, before, editable_values(article), user=user)


@pytest.mark.django_db(databases=["default", ROUNDTRIP_DB])
def test_export_import_round_trip_keeps_every_field_of_every_row(tmp_path, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw")  # noqa: S106
    build_full_archive(editor)
    original = all_rows()
    assert all(original.values()), {label: len(rows) for label, rows in original.items()}
    there, back = tmp_path / "there.jsonl", tmp_path / "back.jsonl.gz"

    with open_archive(there, "w") as stream:
        export_archive(stream, password_hashes=True)
    with open_archive(there, "r") as stream:
        import_archive(stream, using=ROUNDTRIP_DB)
    assert all_rows(ROUNDTRIP_DB) == original
    with open_archive(back, "w") as stream:
        export_archive(stream, using=ROUNDTRIP_DB, password_hashes=True)
    for model in reversed(archive_models()):
        model.objects.all().delete()
    django_user_model.objects.all().delete()
    with open_archive(back, "r") as stream:
        import_archive(stream)
    rebuild_search_index()

    assert all_rows() == original
    assert django_user_model.objects.get().check_password("pw")


@pytest.mark.django_db
def test_articles_made_after_an_import_never_take_a_retired_article_id(tmp_path, seed_text):
    ingest_page_bytes(seed_text.encode(), issue_date=SEED_DATE, page_number=2, source="02.txt")
    last = Article.objects.order_by("pk").last()
    lines = seed_text.splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith(last.headline))
    ingest_page_bytes(
        "".join(lines[:cut]).encode(), issue_date=SEED_DATE, page_number=2, source="02.txt"
    )
    path = tmp_path / "archive.jsonl"
    with open_archive(path, "w") as stream:
        export_archive(stream)
    for model in reversed(archive_models()):
        model.objects.all().delete()
    with open_archive(path, "r") as stream:
        import_archive(stream)
    rebuild_search_index()

    ingest_page_bytes(seed_text.encode(), issue_date=SEED_DATE, page_number=3, source="03.txt")

    assert min(Article.objects.filter(page__number=3).values_list("pk", flat=True)) > last.pk


@pytest.mark.django_db
def test_a_backup_in_the_first_export_format_still_imports(tmp_path):
    records = [
        {
            "format": "newsarchive-export/1",
            "counts": dict.fromkeys(["issue", "page", "person", "organization", "article"], 1),
        },
        {"kind": "issue", "date": "2024-03-12", "number": 7, "note": ""},
        {
            "kind": "page",
            "date": "2024-03-12",
            "number": 2,
            "name": "",
            "banners": [],
            "source_name": "02.txt",
            "source_text": "原文",
            "source_sha256": "0" * 64,
            "warnings": [],
        },
        {"kind": "person", "name": "周美玉"},
        {"kind": "organization", "name": "北京市总工会", "parent": None, "aliases": ["市总工会"]},
        {
            "kind": "article",
            "date": "2024-03-12",
            "page": 2,
            "seq": 1,
            "kicker": "",
            "headline": "北辰集团工会干部研修班开班",
            "subheadline": "",
            "article_kind": "news",
            "paragraphs": ["本报讯"],
            "correction": "",
            "credits": [["周美玉", "reporter", 1]],
            "organizations": ["北京市总工会"],
        },
    ]
    path = tmp_path / "old.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")

    with open_archive(path, "r") as stream:
        import_archive(stream)
    rebuild_search_index()

    article = Article.objects.get()
    assert [c.person.name for c in article.credits.all()] == ["周美玉"]
    assert [o.name for o in article.organizations.all()] == ["北京市总工会"]


def permission_names(permissions) -> set[str]:
    return set(permissions.values_list("codename", flat=True))


@pytest.mark.django_db(databases=["default", ROUNDTRIP_DB])
def test_every_user_group_membership_and_permission_goes_out_and_comes_back(
    tmp_path, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    proofreaders = Group.objects.create(name="校对")
    proofreaders.permissions.set(Permission.objects.filter(codename__in=["change_article"]))
    editors = Group.objects.get(name="编辑")  # the migration's; its permissions were changed
    editors.permissions.remove(Permission.objects.get(codename="delete_article"))
    reader = django_user_model.objects.create_user("reader", password="a-long-passphrase")  # noqa: S106
    reader.groups.set([proofreaders, editors])
    reader.user_permissions.set(Permission.objects.filter(codename="view_revision"))
    django_user_model.objects.create_user("idle", email="idle@example.org", is_staff=True)
    path = tmp_path / "archive.jsonl"
    with open_archive(path, "w") as stream:
        exported = export_archive(stream)
    with open_archive(path, "r") as stream:
        imported = import_archive(stream, using=ROUNDTRIP_DB)

    users = django_user_model.objects.using(ROUNDTRIP_DB)
    groups = Group.objects.using(ROUNDTRIP_DB)
    there = users.get(username="reader")
    assert (exported.users, exported.groups, exported.password_hashes) == (2, 2, False)
    assert (imported.users, imported.users_created, imported.users_without_password) == (2, 2, 2)
    assert sorted(there.groups.values_list("name", flat=True)) == ["校对", "编辑"]
    assert permission_names(there.user_permissions) == {"view_revision"}
    assert permission_names(groups.get(name="校对").permissions) == {"change_article"}
    assert permission_names(groups.get(name="编辑").permissions) == permission_names(
        editors.permissions
    )
    assert users.get(username="idle").email == "idle@example.org"
    assert not there.has_usable_password()


def test_the_export_command_says_when_it_leaves_password_hashes_out(tmp_path, django_user_model):
    django_user_model.objects.create_user("reader", password="a-long-passphrase")  # noqa: S106
    without, with_hashes = tmp_path / "without.jsonl", tmp_path / "with.jsonl"
    notice = io.StringIO()
    call_command("export_archive", str(without), stdout=io.StringIO(), stderr=notice)
    quiet = io.StringIO()
    call_command(
        "export_archive",
        str(with_hashes),
        "--with-password-hashes",
        stdout=io.StringIO(),
        stderr=quiet,
    )

    assert "password hashes left out" in notice.getvalue()
    assert "changepassword" in notice.getvalue()
    assert quiet.getvalue() == ""
    assert '"password"' not in without.read_text(encoding="utf-8")
    hash_ = django_user_model.objects.get().password
    assert hash_ in with_hashes.read_text(encoding="utf-8")


def test_an_imported_user_without_a_hash_cannot_log_in_and_the_command_says_how_to_fix_it(
    tmp_path, django_user_model
):
    django_user_model.objects.create_user("reader", password="a-long-passphrase")  # noqa: S106
    path = tmp_path / "archive.jsonl"
    call_command("export_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    django_user_model.objects.all().delete()
    notice = io.StringIO()

    call_command("import_archive", str(path), stdout=io.StringIO(), stderr=notice)

    assert "1 users came without a password hash" in notice.getvalue()
    assert "changepassword" in notice.getvalue()
    reader = django_user_model.objects.get()
    assert not reader.has_usable_password()
    assert not reader.check_password("a-long-passphrase")
