import datetime

import pytest

from articles.ingest import IngestError
from articles.page_names import page_identity

SEED_DATE = datetime.date(2024, 3, 12)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024-03-12_02.txt", (SEED_DATE, 2)),
        ("2024-03-12_2.TXT", (SEED_DATE, 2)),
        ("2024-03-12_12.txt", (SEED_DATE, 12)),
    ],
)
def test_page_identity_reads_the_file_name(name, expected):
    assert page_identity(name) == expected


def test_page_identity_takes_page_from_a_bare_number_with_date_given():
    assert page_identity("03.txt", issue_date=SEED_DATE) == (SEED_DATE, 3)


@pytest.mark.parametrize("name", ["2024-02-31_01.txt", "2024-03-12_00.txt", "notes.txt", "03.txt"])
def test_page_identity_rejects_names_it_cannot_read(name):
    with pytest.raises(IngestError):
        page_identity(name)
