"""Nobody gets in without the right permission, and hostile text stays inert everywhere."""

import datetime
import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Credit, Organization, Person, Upload
from articles.search.indexing import apply_pending_updates
from articles.upload import stage_upload
from articles.upload_files import PageFile
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

from .conftest import DATA

pytestmark = pytest.mark.django_db

SEED = (DATA / "seed_page.txt").read_bytes()
SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def hostile():
    """An article whose every text field, reporter and union carries markup."""
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=2, banners=[SCRIPT])
    article = make_article(
        page,
        kicker=IMAGE,
        headline=f"工会{SCRIPT}",
        subheadline=IMAGE,
        paragraphs=[f"职工{SCRIPT}之家", IMAGE],
        correction=SCRIPT,
    )
    make_credit(article, f"记者{IMAGE}")
    article.organizations.add(make_organization(f"工会{SCRIPT}"))
    apply_pending_updates()
    return article


def reader_urls(article: Article) -> list[str]:
    person = Person.objects.get()
    organization = Organization.objects.get()
    return [
        reverse("articles:home"),
        article.page.issue.get_absolute_url(),
        article.page.get_absolute_url(),
        article.get_absolute_url(),
        person.get_absolute_url(),
        organization.get_absolute_url(),
        reverse("articles:reporters"),
        reverse("articles:unions"),
        reverse("articles:stats"),
        reverse("articles:search") + "?q=工会",
        reverse("articles:search") + "?q=" + SCRIPT,
        reverse("articles:search") + "?reporter=" + person.name,
        reverse("articles:feed_latest"),
        reverse("articles:feed_union", args=[organization.pk]),
        reverse("articles:feed_reporter", args=[person.pk]),
        reverse("articles:feed_search") + "?q=工会",
    ]


def test_markup_in_articles_names_and_queries_renders_inert_on_every_page(client, hostile):
    for url in reader_urls(hostile):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        body = response.content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url


def test_the_api_returns_text_as_json_data_and_snippets_escaped(client, hostile):
    for q in ("工会", SCRIPT):
        response = client.get(reverse("articles:api_search"), {"q": q})
        assert response["Content-Type"] == "application/json"
        for result in response.json()["results"]:
            assert result["headline"] == hostile.headline  # data, for the client to escape
            html = result["snippet_html"]  # `snippet` is text, data like the headline
            assert "<script>" not in html and "&lt;script&gt;" in html


def test_markup_renders_escaped_where_it_is_shown(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "工会&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        '"; DROP TABLE articles_article; --',
        "工会) OR (1",
        "*:*",
        "content:*",
        "django_ct:articles.article",
        "text:工会 OR reporters:*",
        "工会 AND NOT 职工",
        "\\",
        "%",
        "_",
    ],
)
def test_query_injection_attempts_return_normal_results(client, q):
    page = make_page()
    make_article(page, seq=1, headline="职工之家", paragraphs=["普通的报道。"])
    make_article(page, seq=2, headline="另一篇", paragraphs=["没有那个词。"])
    apply_pending_updates()
    response = client.get(reverse("articles:api_search"), {"q": q})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        # Nothing matches these strings as text, so nothing may be returned.
        assert response.json()["total"] == 0, q
    assert Article.objects.count() == 2


def test_anonymous_users_cannot_upload_merge_or_edit(client):
    article = make_article()
    people = [Person.objects.create(name="甲"), Person.objects.create(name="乙")]
    attempts = [
        ("get", reverse("admin:articles_issue_upload"), {}),
        ("post", reverse("admin:articles_issue_upload"), {"issue_date": "2024-03-12"}),
        (
            "post",
            reverse("admin:articles_person_changelist"),
            {"action": "merge", "_selected_action": [p.pk for p in people], "target": people[0].pk},
        ),
        (
            "post",
            reverse("admin:articles_article_change", args=[article.pk]),
            {"headline": "被篡改"},
        ),
        ("post", reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    assert Person.objects.count() == 2
    assert Article.objects.get().headline == article.headline
    assert not Upload.objects.exists()


def test_uploads_never_write_outside_their_place(client, django_user_model, tmp_path, monkeypatch):
    """A zip naming paths outside itself is refused, and accepted pages live only in the
    database: nothing is written to the file system at all."""
    monkeypatch.chdir(tmp_path)
    user = django_user_model.objects.create_superuser("boss", "b@example.com", None)
    client.force_login(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("../../evil.txt", "x")
        bundle.writestr("/srv/evil.txt", "x")
    archive = SimpleUploadedFile("issue.zip", buffer.getvalue())
    response = client.post(
        reverse("admin:articles_issue_upload"), {"issue_date": "2024-03-12", "archive": archive}
    )
    assert "路径指向包外" in response.content.decode()
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not Upload.objects.exists()
    assert Credit.objects.count() == 0


def admin_pages(article: Article, admin: User) -> list[str]:
    upload = stage_upload(admin, article.page.issue.date, None, [PageFile("05.txt", SEED, 5)])
    return [
        reverse("admin:articles_issue_upload_preview", args=[upload.pk]),
        reverse("admin:index"),
        reverse("admin:articles_issue_changelist"),
        reverse("admin:articles_issue_change", args=[article.page.issue.pk]),
        reverse("admin:articles_issue_upload"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_page_change", args=[article.page.pk]),
        reverse("admin:articles_organization_changelist"),
        reverse("admin:auth_user_add"),
    ]


class InlineFinder(HTMLParser):
    """Markup the policy blocks: a style element or attribute, a script without src (JSON data
    blocks do not run), an event handler attribute. Escaped text stays text here."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = dict(attrs)
        if tag == "style" or "style" in names or any(n.startswith("on") for n in names):
            self.found.append(self.get_starttag_text())
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(self.get_starttag_text())


def test_the_inline_finder_finds_what_the_policy_blocks():
    html = '<p style="x">a</p><script>alert(1)</script><a onclick="f()">b</a><style></style>'
    assert len(inline_markup(html)) == 4
    inert = '<script src="/s.js"></script><script type="application/json">{}</script>'
    assert inline_markup(inert + "<p title='&lt;img onerror=x&gt;'>&lt;style&gt;</p>") == []


def inline_markup(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_every_page_sends_a_strict_csp_and_has_nothing_inline_it_would_block(
    client, admin_client, hostile
):
    pages = [(client, url) for url in reader_urls(hostile)]
    admin = User.objects.get(username="admin")
    pages += [(admin_client, url) for url in admin_pages(hostile, admin)]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code in (200, 400), url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, url
        if response["Content-Type"].startswith("text/html"):
            assert inline_markup(response.content.decode()) == [], url


def test_pages_send_a_permissions_policy(client):
    policy = client.get(reverse("articles:home"))["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy
    assert "clipboard-write=(self)" in policy


@pytest.fixture
def fast_hashing(settings):
    """Logins hash passwords (also for unknown user names): a cheap hasher keeps these quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def spray(client, names: int = 40, guesses: int = 4) -> int:
    """Wrong passwords for many user names from one address; the tries answered before the
    lockout."""
    for n in range(names * guesses):
        if login(client, f"user{n % names}", f"guess{n // names}").status_code == 429:
            return n
    return names * guesses


def test_repeated_wrong_admin_passwords_lock_that_login_out(
    client, django_user_model, fast_hashing
):
    django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-passphrase")
    django_user_model.objects.create_superuser("chief", "c@example.com", "another-passphrase")
    for _ in range(4):
        assert login(client, "boss", "guess").status_code == 200  # the form again, with an error
    assert login(client, "boss", "guess").status_code == 429  # the fifth locks the login out
    locked = login(client, "boss", "a-long-passphrase")  # even the right password, now
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else, from the same address, still logs in.
    assert login(client, "chief", "another-passphrase").status_code == 302


def test_a_right_password_before_the_limit_resets_the_count(
    client, django_user_model, fast_hashing
):
    django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-passphrase")
    for _ in range(4):
        login(client, "boss", "guess")
    assert login(client, "boss", "a-long-passphrase").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "boss", "guess")
    assert login(client, "boss", "a-long-passphrase").status_code == 302


def test_password_spraying_from_one_address_locks_that_address_out(
    client, django_user_model, settings, fast_hashing
):
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 20
    django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-passphrase")

    assert spray(client) == 19  # the 20th wrong password, all user names together, locks
    locked = login(client, "boss", "a-long-passphrase")
    assert locked.status_code == 429 and "网络地址已被暂时锁定" in locked.content.decode()
    assert login(client, "boss", "a-long-passphrase", address="10.0.0.2").status_code == 302


def test_a_right_password_from_the_address_does_not_clear_the_sprayers_count(
    client, django_user_model, settings, fast_hashing
):
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 20
    django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-passphrase")
    for n in range(19):
        assert login(client, f"user{n}", "guess").status_code == 200
    assert login(client, "boss", "a-long-passphrase").status_code == 302
    client.logout()

    assert login(client, "user19", "guess").status_code == 429


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1", "密码太短：至少需要 10 个字符"),
        ("12345678901", "密码只包含数字"),
        ("password123", "这个密码太常见了"),
    ],
)
def test_staff_passwords_must_pass_djangos_validators(admin_client, password, message):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert message in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()
