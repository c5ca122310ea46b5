import pytest

from articles.names import normalize_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("刘 欣欣", "刘欣欣"),
        ("刘\u3000欣欣", "刘欣欣"),
        ("\u00a0北京市总工会\t", "北京市总工会"),
        ("北京 市总工会 ", "北京市总工会"),
        ("Li   Ming", "Li Ming"),
        ("ＮＥＣ 中国 工会", "ＮＥＣ中国工会"),
    ],
)
def test_normalize_name_removes_layout_whitespace(raw, expected):
    assert normalize_name(raw) == expected
