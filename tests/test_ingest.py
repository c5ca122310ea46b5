import datetime
import re

import pytest

from articles.ingest import Outcome, reparse_page
from articles.ingest_files import ingest_file
from articles.models import Article, Credit, Issue, Organization, Page, Person

SEED_DATE = datetime.date(2024, 3, 12)


@pytest.fixture
def page_file(tmp_path, seed_text):
    """Writes page files under tmp_path; by default the seed page as 2024-03-12_02.txt."""

    def write(name="2024-03-12_02.txt", text=seed_text, encoding="utf-8"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    return write


def counts():
    return (
        Issue.objects.count(),
        Page.objects.count(),
        Article.objects.count(),
        Credit.objects.count(),
        Person.objects.count(),
        Organization.objects.count(),
    )


@pytest.mark.django_db
def test_ingest_stores_the_seed_page_as_parsed(page_file, seed_expected):
    result = ingest_file(page_file())

    assert (result.outcome, result.articles) == (Outcome.CREATED, len(seed_expected["articles"]))
    page = Page.objects.get(issue__date=SEED_DATE, number=2)
    assert page.banners == seed_expected["banners"]
    stored = list(page.articles.order_by("seq"))
    assert [a.headline for a in stored] == [a["headline"] for a in seed_expected["articles"]]
    assert [a.kind for a in stored] == [a["kind"] for a in seed_expected["articles"]]
    assert [a.paragraphs for a in stored] == [a["paragraphs"] for a in seed_expected["articles"]]


@pytest.mark.django_db
def test_ingest_keeps_the_paper_and_section_the_banner_prints(page_file, seed_text):
    ingest_file(page_file(text="劳动午报\n\n第02版：工会\n\n" + seed_text))
    page = Page.objects.get()
    assert (page.paper, page.section, page.heading) == ("劳动午报", "工会", "工会")
    assert ingest_file(page_file()).outcome is Outcome.REPLACED
    page.refresh_from_db()
    assert (page.paper, page.section) == ("", "")  # the seed page's banner prints neither


@pytest.mark.django_db
def test_a_reparse_that_changes_no_article_still_fills_paper_and_section(page_file, seed_text):
    ingest_file(page_file(text="劳动午报\n\n第02版：工会\n\n" + seed_text))
    page = Page.objects.get()
    Page.objects.update(paper="", section="")  # as stored before pages kept them
    page.refresh_from_db()
    assert reparse_page(page).outcome is Outcome.UNCHANGED
    page.refresh_from_db()
    assert (page.paper, page.section) == ("劳动午报", "工会")


@pytest.mark.django_db
def test_ingest_stores_credits_with_roles(page_file):
    ingest_file(page_file())

    article = Article.objects.get(headline="北辰集团工会干部研修班开班")
    credits = [(c.person.name, c.role) for c in article.credits.order_by("seq")]
    assert credits == [("周美玉", Credit.Role.REPORTER), ("孙丹", Credit.Role.CORRESPONDENT)]


@pytest.mark.django_db
def test_ingest_links_organizations_with_aliases(page_file):
    ingest_file(page_file())

    article = Article.objects.get(headline="经开区总工会开展先进职工疗休养活动")
    names = {o.name for o in article.organizations.all()}
    aliases = {a.name for o in article.organizations.all() for a in o.aliases.all()}
    assert {"北京经济技术开发区总工会", "经开区总工会"} <= names | aliases


@pytest.mark.django_db
def test_ingest_keeps_verbatim_source_and_its_digest(page_file, seed_text):
    ingest_file(page_file())

    page = Page.objects.get()
    assert page.source_text == seed_text
    assert page.source_name == "2024-03-12_02.txt"
    assert len(page.source_sha256) == 64


@pytest.mark.django_db
def test_ingest_skips_identical_page(page_file):
    path = page_file()
    ingest_file(path)
    before = counts()
    updated_at = Page.objects.get().updated_at

    result = ingest_file(path)

    assert result.outcome is Outcome.UNCHANGED
    assert counts() == before
    assert Page.objects.get().updated_at == updated_at


@pytest.mark.django_db
def test_ingest_treats_gb18030_crlf_copy_as_identical(page_file, seed_text):
    ingest_file(page_file())

    result = ingest_file(
        page_file("copy/2024-03-12_02.txt", seed_text.replace("\n", "\r\n"), "gb18030")
    )

    assert result.outcome is Outcome.UNCHANGED


@pytest.mark.django_db
def test_ingest_replaces_articles_of_a_changed_page(page_file, seed_text):
    ingest_file(page_file())
    changed = seed_text.replace("邮政职工学礼仪", "邮政职工学商务礼仪")

    result = ingest_file(page_file(text=changed))

    assert (result.outcome, result.replaced_articles, result.articles) == (Outcome.REPLACED, 7, 7)
    assert Page.objects.count() == 1
    assert Article.objects.filter(headline="邮政职工学商务礼仪").exists()
    assert not Article.objects.filter(headline="邮政职工学礼仪").exists()


@pytest.mark.django_db
def test_dry_run_reports_but_stores_nothing(page_file):
    result = ingest_file(page_file(), dry_run=True)

    assert (result.outcome, result.articles) == (Outcome.CREATED, 7)
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_dry_run_of_a_changed_page_keeps_the_old_articles(page_file, seed_text):
    ingest_file(page_file())
    before = counts()

    result = ingest_file(page_file(text=seed_text.replace("邮政", "邮储")), dry_run=True)

    assert result.outcome is Outcome.REPLACED
    assert counts() == before
    assert Article.objects.filter(headline="邮政职工学礼仪").exists()


@pytest.mark.django_db
def test_reporters_and_unions_are_reused_across_pages(page_file):
    ingest_file(page_file("2024-03-12_02.txt"))
    people, organizations = Person.objects.count(), Organization.objects.count()

    ingest_file(page_file("2024-03-19_03.txt"))

    assert (Person.objects.count(), Organization.objects.count()) == (people, organizations)
    assert Person.objects.get(name="边磊").credits.count() == 4


@pytest.mark.django_db
def test_ingest_rejects_binary_file_and_stores_nothing(tmp_path):
    path = tmp_path / "2024-01-02_01.txt"
    path.write_bytes(bytes(range(256)) * 8)

    result = ingest_file(path)

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)
    assert result.reason


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\n\r\n \xe3\x80\x80\n"], ids=["empty", "blank"])
def test_ingest_rejects_empty_file_and_stores_nothing(tmp_path, content):
    path = tmp_path / "2024-01-02_01.txt"
    path.write_bytes(content)

    result = ingest_file(path)

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)
    assert re.search("空的|空白", result.reason)


@pytest.mark.django_db
def test_ingest_rejects_undecodable_text(tmp_path):
    path = tmp_path / "2024-01-02_01.txt"
    path.write_bytes("北京市总工会".encode() + b"\xff\xfe\xfa" * 20 + "召开".encode())

    result = ingest_file(path)

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)


@pytest.mark.django_db
def test_ingest_rejects_a_page_without_articles(page_file):
    result = ingest_file(page_file(text="深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面\n"))

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)


@pytest.mark.django_db
def test_ingest_rejects_file_name_without_date_or_page(page_file):
    result = ingest_file(page_file("page.txt"))

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)
    assert "YYYY-MM-DD_PP.txt" in result.reason


@pytest.mark.django_db
def test_ingest_rejects_file_over_the_size_limit(page_file, settings):
    settings.NEWSARCHIVE_MAX_PAGE_BYTES = 1000

    result = ingest_file(page_file())

    assert (result.outcome, Page.objects.count()) == (Outcome.FAILED, 0)
    assert "over the limit" in result.reason


@pytest.mark.django_db
def test_ingest_reports_missing_file(tmp_path):
    result = ingest_file(tmp_path / "2024-01-02_01.txt")

    assert result.outcome is Outcome.FAILED
    assert "cannot read" in result.reason


@pytest.mark.django_db
def test_explicit_date_and_page_override_the_file_name(page_file):
    ingest_file(page_file("scan.txt"), issue_date=datetime.date(2024, 5, 7), page_number=4)

    assert Page.objects.get().issue.date == datetime.date(2024, 5, 7)
    assert Page.objects.get().number == 4


@pytest.mark.django_db
def test_reparse_leaves_an_unchanged_parse_alone(page_file):
    ingest_file(page_file())
    ids = set(Article.objects.values_list("pk", flat=True))

    result = reparse_page(Page.objects.get())

    assert result.outcome is Outcome.UNCHANGED
    assert set(Article.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_reparse_rebuilds_articles_from_stored_source(page_file):
    ingest_file(page_file())
    old_parse = Article.objects.get(seq=1)
    old_parse.headline = "旧解析的标题"
    old_parse.parsed = {**old_parse.parsed, "headline": "旧解析的标题"}
    old_parse.save()

    result = reparse_page(Page.objects.get())

    assert result.outcome is Outcome.REPLACED
    assert Article.objects.get(seq=1).headline == "朝阳区深化“产改”促进发展新质生产力"
