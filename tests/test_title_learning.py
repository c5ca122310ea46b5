"""The archive learns its paper: an editor's layout correction teaches the title-block model, so
the next page of the same paper with the same form parses right, and no other paper's page moves."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from articles.ingest import ingest_page_bytes, preview_page_bytes, reparse_page
from articles.layout_corrections import LayoutCorrectionError
from articles.layout_service import (
    add_page_correction,
    add_staged_correction,
    undo_page_correction,
)
from articles.models import Page, TitleExample, UploadFile
from articles.title_learning import archive_model, parse_text
from articles.upload import confirm_upload, stage_upload
from articles.upload_files import PageFile
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

PAPER, OTHER = "陕西工人报", "劳动午报"
TAUGHT = "西安市总工会举办职工书屋建设推进会"
# The paper prints a kicker over the headline where the shipped model reads headline + subheadline;
# the line below a kicker is its headline, so one correction says it all.
KICKER_IS_A_KICKER = [{"op": "role", "text": TAUGHT, "role": "kicker"}]


def page_text(paper: str, date: datetime.date, kicker: str, headline: str, lead: str) -> str:
    return (
        f"{paper}\n\n出版日期：{date:%Y年%m月%d日}\n\n{kicker}\n\n{headline}\n\n{lead}\n\n"
        "这些职工之家建设成效明显，职工满意度不断提升。\n"
    )


FIRST = page_text(
    PAPER,
    datetime.date(2024, 3, 12),
    TAUGHT,
    "验收凤凰街社区工会职工书屋",
    "本报讯（记者 田丁辉 通讯员 雷亚楠）近日，西安市总工会对阎良区凤凰街社区工会进行了检查验收。",
)


def later_page(paper: str) -> str:
    return page_text(
        paper,
        datetime.date(2024, 3, 13),
        "渭南市总工会召开第五次代表大会",
        "表彰一批模范职工之家",
        "本报讯（记者 李明）近日，渭南市总工会表彰了一批模范职工之家。",
    )


def store(text: str, date: datetime.date, number: int = 1) -> Page:
    ingest_page_bytes(text.encode(), issue_date=date, page_number=number, source=f"{number}.txt")
    return Page.objects.get(issue__date=date, number=number)


def titles(page: Page) -> list[tuple[str, str, str]]:
    return list(page.articles.order_by("seq").values_list("kicker", "headline", "subheadline"))


def test_a_page_keeps_the_paper_and_section_its_banner_prints():
    page = store(
        "劳动午报\n\n第04版：工会\n\n" + FIRST.split("\n\n", 1)[1], datetime.date(2024, 3, 12)
    )
    assert (page.paper, page.section) == ("劳动午报", "工会")
    assert page.heading == "工会"


def test_a_correction_on_one_page_changes_a_later_page_of_the_same_paper(django_user_model):
    editor = django_user_model.objects.create_user("zhang")
    first = store(FIRST, datetime.date(2024, 3, 12))
    untaught = parse_text(later_page(PAPER)).articles[0]
    assert (untaught.kicker, untaught.subheadline) == (None, "表彰一批模范职工之家")

    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction, user=editor)

    [example] = TitleExample.objects.all()
    assert (example.paper, example.page, example.taught_by) == (PAPER, first, editor)
    assert example.example["roles"] == ["kicker", "headline"]
    later = store(later_page(PAPER), datetime.date(2024, 3, 13))
    assert titles(later) == [("渭南市总工会召开第五次代表大会", "表彰一批模范职工之家", "")]


def test_a_correction_on_one_paper_changes_no_page_of_another_paper():
    other_before = store(later_page(OTHER), datetime.date(2024, 3, 13))
    before = titles(other_before)
    first = store(FIRST, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction)

    reparse_page(other_before)
    assert before == [("", "渭南市总工会召开第五次代表大会", "表彰一批模范职工之家")]
    assert titles(other_before) == before
    other_new = store(later_page(OTHER), datetime.date(2024, 3, 14))
    assert titles(other_new) == before


def test_a_pages_own_lesson_never_hides_the_line_its_next_correction_names():
    first = store(FIRST, datetime.date(2024, 3, 12))
    # 主题 on the second line: the line above becomes its 引题, and the page's own lesson must
    # not join the two lines, or the next correction naming the first one finds no line.
    add_page_correction(
        first, {"op": "role", "text": "验收凤凰街社区工会职工书屋", "role": "headline"}
    )
    with pytest.raises(LayoutCorrectionError, match="这一行已经是引题"):
        add_page_correction(first, KICKER_IS_A_KICKER[0])

    first.refresh_from_db()
    assert len(first.layout_corrections) == 1
    reparse_page(first)
    first.refresh_from_db()
    assert titles(first)[0] == (TAUGHT, "验收凤凰街社区工会职工书屋", "")
    assert not any("未能套用" in warning for warning in first.warnings)


@pytest.mark.django_db(transaction=True)
def test_two_editors_making_the_same_correction_at_once_teach_it_once():
    first = store(FIRST, datetime.date(2024, 3, 12))
    start = threading.Barrier(2)
    refused: list[str] = []

    def correct() -> None:
        try:
            start.wait()
            add_page_correction(first, KICKER_IS_A_KICKER[0])
        except LayoutCorrectionError as error:
            refused.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=correct) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert refused == []  # the later one replaces the earlier, the same, correction
    assert len(Page.objects.get().layout_corrections) == 1
    [example] = TitleExample.objects.all()
    assert example.example["roles"] == ["kicker", "headline"]


def test_undoing_the_correction_takes_its_lesson_back():
    first = store(FIRST, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction)
    undo_page_correction(first, 0)

    assert not TitleExample.objects.exists()
    assert PAPER not in archive_model().overlays
    assert parse_text(later_page(PAPER)).articles[0].kicker is None


def test_an_upload_confirmed_with_layout_corrections_teaches_the_model(django_user_model):
    editor = django_user_model.objects.create_user("zhang")
    date = datetime.date(2024, 3, 12)
    upload = stage_upload(editor, date, None, [PageFile("01.txt", FIRST.encode(), 1)])
    staged = UploadFile.objects.get()
    for correction in KICKER_IS_A_KICKER:  # made in the upload's preview
        add_staged_correction(staged, date, correction)
    confirm_upload(upload, editor, {staged.pk: ""}, banners_checked=True)
    assert TitleExample.objects.get().taught_by == editor
    assert TitleExample.objects.get().paper == PAPER
    assert parse_text(later_page(PAPER)).articles[0].kicker == "渭南市总工会召开第五次代表大会"


def test_a_new_text_under_the_same_corrections_is_learned_again():
    first = store(FIRST, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction)
    renamed = "验收凤凰街社区工会职工书屋和职工之家"

    store(FIRST.replace("验收凤凰街社区工会职工书屋", renamed), datetime.date(2024, 3, 12))
    [example] = TitleExample.objects.all()
    assert example.example["lines"] == [TAUGHT, renamed]


def test_a_dry_run_teaches_nothing():
    preview_page_bytes(
        FIRST.encode(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=1,
        source="01.txt",
        dry_run=True,
        layout=KICKER_IS_A_KICKER,
    )
    assert not TitleExample.objects.exists()


def test_a_page_whose_banner_names_no_paper_teaches_the_sites_own_paper(settings):
    settings.NEWSARCHIVE_NEWSPAPER_NAME = "首都工会新闻"
    unnamed = FIRST.split("\n\n", 1)[1]
    first = store(unnamed, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction)

    assert TitleExample.objects.get().paper == "首都工会新闻"
    later = parse_text(later_page(PAPER).split("\n\n", 1)[1])
    assert (later.paper, later.articles[0].kicker) == (None, "渭南市总工会召开第五次代表大会")
    assert parse_text(later_page(OTHER)).articles[0].kicker is None


def test_refit_title_model_reports_each_papers_examples():
    first = store(FIRST, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(first, correction)
    out = io.StringIO()
    call_command("refit_title_model", stdout=out)
    assert f"{PAPER}：1 个标题样例" in out.getvalue()
    assert "已重新拟合 1 份报纸" in out.getvalue()


def test_refit_title_model_without_examples_says_the_shipped_model_is_used():
    out = io.StringIO()
    call_command("refit_title_model", stdout=out)
    assert "还没有标题样例：使用出厂模型。" in out.getvalue()


def store_devset() -> list[Page]:
    """Every devset page (pages/ and pages2/), stored under the date and number its name gives."""
    for path in sorted((SHARED / "devset").glob("pages*/*.txt")):
        date, number = path.stem.split("_")
        data, issue_date = path.read_bytes(), datetime.date.fromisoformat(date)
        ingest_page_bytes(data, issue_date=issue_date, page_number=int(number), source=path.name)
    return list(Page.objects.order_by("issue__date", "number"))


@pytest.mark.devset
def test_a_lesson_on_one_real_paper_changes_no_real_page_of_another(settings):
    settings.NEWSARCHIVE_NEWSPAPER_NAME = "首都工会新闻"
    pages = store_devset()
    before = {page.pk: titles(page) for page in pages}
    taught = next(p for p in pages if p.paper == "浙江工人日报")
    lead = next(a for a in taught.articles.order_by("seq") if a.subheadline)
    # The line below a kicker is its headline: one correction moves both lines.
    add_page_correction(taught, {"op": "role", "text": lead.headline, "role": "kicker"})
    assert TitleExample.objects.get().paper == "浙江工人日报"
    relearned = parse_text(taught.source_text).articles  # the page's own form, no corrections
    assert (lead.headline, lead.subheadline) in [(a.kicker, a.headline) for a in relearned]

    others = [page for page in pages if page.paper != "浙江工人日报"]
    assert len(others) == len(pages) - 1
    for page in others:
        reparse_page(page)
        assert titles(page) == before[page.pk], page
