"""The organization admin's 待核工会 view, and the upload preview's list of new union names."""

import threading

import pytest
from django.urls import reverse

from articles.models import Organization, UnionDecision
from tests.factories import make_organization
from tests.test_admin_upload import editor, post_upload, txt  # noqa: F401 - a fixture
from tests.test_row_locks import run_together
from tests.test_union_review import NEW, TEXT, store

REVIEW = reverse("admin:articles_organization_review")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def decide(client, decision: str, name: str = NEW, **fields):
    return client.post(REVIEW, {"name": name, "decision": decision, **fields}, follow=True)


@pytest.fixture
def union_to_check(db) -> Organization:
    store()
    return Organization.objects.get(name=NEW)


def test_the_review_list_shows_each_name_to_check_with_its_article(admin_client, union_to_check):
    page = admin_client.get(REVIEW).content.decode()
    assert NEW in page and "燕京啤酒工会开展活动" in page
    assert 'value="accept"' in page and 'value="merge"' in page and 'value="reject"' in page


def test_the_organization_changelist_links_to_the_review_list_with_its_count(
    admin_client, union_to_check
):
    page = admin_client.get(reverse("admin:articles_organization_changelist")).content.decode()
    assert f'href="{REVIEW}">待核工会（1）' in page


def test_an_editor_of_the_editor_group_may_decide(editor, union_to_check):  # noqa: F811
    response = decide(editor, "accept")
    assert messages_of(response) == [f"已接受“{NEW}”：读者现在可以看到它。"]
    decision = UnionDecision.objects.get(name=NEW)
    assert decision.decided_by.username == "editor"
    assert "最近的核定" in response.content.decode()


def test_a_visitor_without_change_permission_cannot_open_the_review_list(client, union_to_check):
    response = client.get(REVIEW)
    assert response.status_code == 302  # to the admin login
    assert Organization.objects.get(name=NEW).needs_review


def test_rejecting_in_the_admin_deletes_the_union_and_says_it_will_not_come_back(
    admin_client, union_to_check
):
    response = decide(admin_client, "reject")
    assert "重新解析或重新上传也不会再关联" in messages_of(response)[0]
    assert not Organization.objects.filter(name=NEW).exists()
    assert f'value="{NEW}"' not in response.content.decode()  # no longer in the list


def test_merging_in_the_admin_names_the_target_and_an_unknown_target_is_refused(
    admin_client, union_to_check
):
    refused = decide(admin_client, "merge", target="没有这个工会")
    assert messages_of(refused) == ["没有名为“没有这个工会”的已核工会，无法合并。"]
    make_organization("北京燕京啤酒集团工会")
    merged = decide(admin_client, "merge", target="北京燕京啤酒集团工会")
    assert messages_of(merged) == [
        f"已将“{NEW}”合并到“北京燕京啤酒集团工会”，它成为“北京燕京啤酒集团工会”的别名。"
    ]


def test_two_editors_one_accepts_while_the_other_rejects_from_the_same_list(
    editors, union_to_check
):
    zhang, li = editors
    assert NEW in zhang.get(REVIEW).content.decode()
    assert NEW in li.get(REVIEW).content.decode()  # both see the name to check

    accepted = decide(zhang, "accept")
    refused = decide(li, "reject")  # from the list li loaded before zhang's decision

    assert messages_of(accepted) == [f"已接受“{NEW}”：读者现在可以看到它。"]
    [message] = messages_of(refused)
    assert message.startswith(f"“{NEW}”已由 zhang 于 ") and message.endswith(
        "接受，您的操作未执行。"
    )
    assert Organization.objects.get(name=NEW).needs_review is False
    assert list(UnionDecision.objects.values_list("name", "decided_by__username")) == [
        (NEW, "zhang")
    ]


@pytest.mark.django_db(transaction=True)
def test_two_editors_deciding_at_once_one_wins_and_the_other_is_told(editors):
    store()
    zhang, li = editors
    start = threading.Barrier(2)
    told: dict[str, str] = {}

    def act(client, name: str, decision: str):
        def run() -> None:
            start.wait()
            # The page, not response.context: the test client collects every thread's renders.
            told[name] = decide(client, decision).content.decode()

        return run

    assert run_together(act(zhang, "zhang", "accept"), act(li, "li", "reject")) == []
    [decision] = UnionDecision.objects.all()
    winner = decision.decided_by.username
    loser = "li" if winner == "zhang" else "zhang"
    assert f"已由 {winner} 于 " in told[loser] and "您的操作未执行。" in told[loser]
    assert "您的操作未执行。" not in told[winner]
    union = Organization.objects.filter(name=NEW).first()
    if decision.action == "accepted":
        assert union is not None and union.needs_review is False
    else:
        assert union is None


def test_the_upload_preview_lists_a_new_union_to_check_with_its_article(
    editor,  # noqa: F811
    db,
):
    response = post_upload(editor, [txt("03.txt", TEXT.encode())])
    page = editor.get(response["Location"]).content.decode()
    section = page.split("新出现的工会名称")[1].split("</section>")[0]
    assert NEW in section and "工会（待核）" in section
    assert "《燕京啤酒工会开展活动》" in section


def test_the_upload_preview_says_a_rejected_name_will_not_be_linked(
    editor,  # noqa: F811
    union_to_check,
):
    decide(editor, "reject")
    response = post_upload(editor, [txt("04.txt", TEXT.encode())])
    page = editor.get(response["Location"]).content.decode()
    section = page.split("新出现的工会名称")[1].split("</section>")[0]
    assert NEW in section and "已驳回，不会关联" in section


def test_the_organization_form_shows_but_does_not_change_to_check(admin_client, union_to_check):
    url = reverse("admin:articles_organization_change", args=[union_to_check.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="needs_review"' not in page
    assert "待核" in page


def test_the_changelist_action_accepts_the_selected_unions_and_records_it(
    admin_client, union_to_check
):
    response = admin_client.post(
        reverse("admin:articles_organization_changelist"),
        {"action": "accept_selected", "_selected_action": [union_to_check.pk]},
        follow=True,
    )
    assert "已接受 1 个待核组织。" in messages_of(response)
    assert UnionDecision.objects.get(name=NEW).decided_by.username == "admin"
