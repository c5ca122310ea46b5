"""Reading the index as searches read it: damage to any of its files is reported."""

from pathlib import Path

import pytest
from haystack import connections

from articles.search.engine import index_check
from articles.search.engine.index_check import (
    DamagedIndexError,
    IndexVerifier,
    check_index_files,
)
from tests.search.helpers import DAMAGE, count, flip_bytes, index_file, index_seven_articles

pytestmark = [pytest.mark.django_db, pytest.mark.no_drift_check]


@pytest.fixture
def index():
    index_seven_articles()
    return connections["default"].get_backend().index


def test_a_healthy_index_reads_whole(index):
    checked = check_index_files(index, thorough=True)
    assert (checked.segments, checked.documents) == (1, 7)


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damage_to_any_file_is_reported_with_where_it_is(index, damage):
    harm, named = DAMAGE[damage]
    harm(index.storage.folder)
    with pytest.raises(DamagedIndexError, match=named):
        check_index_files(index, thorough=True)


def test_a_term_dictionary_cut_in_half_fails_searches_as_the_check_says(index):
    DAMAGE["term dictionary cut in half"][0](index.storage.folder)
    with pytest.raises(DamagedIndexError):
        check_index_files(index)
    with pytest.raises(Exception):  # noqa: B017 what a search meets: whatever Whoosh raises
        count("职工")


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The ids of the segments check_segment reads, in turn."""
    read: list[str] = []
    check_segment = index_check.check_segment
    monkeypatch.setattr(
        index_check,
        "check_segment",
        lambda *args, **kwargs: read.append(args[2].segment_id()) or check_segment(*args, **kwargs),
    )
    return read


def test_the_verifier_reads_a_healthy_segment_once(index, checked):
    verifier = IndexVerifier()
    assert [verifier.check(index).documents for _ in range(3)] == [7, 7, 7]
    assert len(checked) == 1


def test_files_searches_and_writers_add_beside_a_segment_are_not_its_files(index, checked):
    """Facet values and posting files appear after the commit: the segment is not read again."""
    verifier = IndexVerifier()
    verifier.check(index)
    [segment_id] = checked
    for name in ("facets_kind.npz", "postings_text.arr"):
        (Path(index.storage.folder) / f"{segment_id}.{name}").write_bytes(b"ours")
    verifier.check(index)
    assert checked == [segment_id]


def test_the_verifier_reads_a_bounded_sample_of_a_large_segment(index, monkeypatch):
    # /health verifies each new segment: a rebuild's must not cost a read of every posting.
    read, read_postings = [], index_check._read_postings
    monkeypatch.setattr(
        index_check, "_read_postings", lambda *args: read.append(args[2]) or read_postings(*args)
    )
    monkeypatch.setattr(index_check, "VERIFY_TERMS", 10)
    assert IndexVerifier().check(index).documents == 7
    assert 2 <= len(read) <= 10 + 2  # spread over the dictionary, its first and last term
    read.clear()
    check_index_files(index, thorough=True)
    assert len(read) > 10 + 2  # check_index reads them all


def test_the_verifier_reads_a_segment_again_once_its_files_change(index):
    verifier = IndexVerifier()
    assert verifier.check(index).documents == 7
    flip_bytes(index_file(index.storage.folder, ".pst"))
    with pytest.raises(DamagedIndexError, match="terms or postings of"):
        verifier.check(index)


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: DAMAGE["term dictionary cut in half"][0](folder),
        lambda folder: flip_bytes(index_file(folder, ".pst"), count=10**6),  # the second half
        lambda folder: flip_bytes(index_file(folder, "._stored.col"), count=10**6),
    ],
    ids=["term dictionary cut", "postings garbled", "stored fields garbled"],
)
def test_a_sampled_check_finds_damage_spread_over_a_file(index, damage):
    damage(index.storage.folder)
    with pytest.raises(DamagedIndexError):
        check_index_files(index)
