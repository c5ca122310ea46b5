"""Fixtures of the search tests that need no database."""

import random

import pytest
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from tests.search.helpers import WORDS


@pytest.fixture(scope="module")
def index():
    """Three segments of shuffled words, one with a deleted document; a keyword field that
    is not scorable."""
    schema = Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(phrase=True),
        tags=KEYWORD(scorable=False, commas=True),
    )
    ix = RamStorage().create_index(schema)
    rng = random.Random(7)  # noqa: S311 (test data)
    number = 0
    for size in (40, 25, 15):
        writer = ix.writer()
        for _ in range(size):
            words = rng.choices(WORDS, k=rng.randint(1, 30))
            tags = ",".join(rng.sample(["甲", "乙", "丙"], k=rng.randint(0, 2)))
            writer.add_document(id=str(number), text=" ".join(words), tags=tags)
            number += 1
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "3")
    writer.commit(merge=False)
    return ix
