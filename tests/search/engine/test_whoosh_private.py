"""The private members of Whoosh and haystack the archive uses are still there, as it uses them
(a test per member, named after it), and none is used outside the whoosh_private package."""

import ast
import importlib
import inspect
import io
import re
from pathlib import Path

import pytest
from haystack import connections
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3TermInfo
from whoosh.fields import NUMERIC, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Frequency
from whoosh.matching import ArrayUnionMatcher, ListMatcher

from articles.search.engine import whoosh_private
from articles.search.engine.fields import FacetKeyword, bigram_field, text_field
from articles.search.engine.readers import ArticleFileIndex
from articles.search.engine.whoosh_private import MEMBERS, Member
from tests.search.helpers import index_seven_articles

ROOT = Path(__file__).resolve().parents[3]


def owner_class(path: str) -> type:
    """`module.Class` or `module.Class.Nested`, imported."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(path)


@pytest.fixture(scope="module")
def instances(tmp_path_factory) -> dict[str, object]:
    """A real object of each class whose private attributes the archive reads (attributes
    are set by __init__ or as the object is used, so only an object shows them)."""
    folder = tmp_path_factory.mktemp("index")
    schema = Schema(
        text=text_field(), grams=bigram_field(), tags=FacetKeyword(stored=False), n=NUMERIC()
    )
    storage = FileStorage(str(folder))
    storage.create_index(schema, indexname="MAIN")
    index = ArticleFileIndex(storage, schema, "MAIN")
    with index.writer() as writer:
        for n, text in enumerate(["北京市总工会", "职工代表大会", "工会工会"]):
            writer.add_document(text=text, grams=text, tags="甲,乙", n=n)
    reader = index.reader()
    postings_writer = W3Codec().postings_writer(StructFile(io.BytesIO()))
    postings_writer.start_postings(Frequency(), W3TermInfo())
    search_query = connections["default"].get_query()
    segment_writer = index.writer()
    yield {
        "whoosh.codec.whoosh3.W3LeafMatcher": reader.postings("grams", "工会"),
        "whoosh.matching.combo.ArrayUnionMatcher": ArrayUnionMatcher(
            [ListMatcher([0]), ListMatcher([1])], 3
        ),
        "whoosh.reading.SegmentReader": reader,
        "whoosh.codec.whoosh3.W3PerDocReader": reader._perdoc,
        "whoosh.columns.NumericColumn.Reader": reader._perdoc._cached_reader(
            "_text_len", LENGTHS_COLUMN
        ),
        "whoosh.codec.whoosh3.W3TermsReader": reader._terms,
        "whoosh.filedb.filetables.OrderedHashReader": reader._terms._tindex,
        "whoosh.codec.whoosh3.W3Codec": W3Codec(),
        "whoosh.codec.whoosh3.W3PostingsWriter": postings_writer,
        "whoosh.index.FileIndex": storage.open_index("MAIN"),
        "haystack.backends.BaseSearchQuery": search_query,
        "whoosh.codec.whoosh3.W3FieldWriter": segment_writer.fieldwriter,
        "whoosh.writing.SegmentWriter": segment_writer,
    }
    segment_writer.cancel()
    reader.close()


def _member_id(member: Member) -> str:
    return f"{member.owner.rsplit('.', 1)[-1]}.{member.name}"


@pytest.mark.parametrize("member", MEMBERS, ids=map(_member_id, MEMBERS))
def test_each_private_member_is_still_there_as_used(member, instances):
    owner = owner_class(member.owner)
    named = f"{member.owner}.{member.name}"
    if member.parameters is None:
        instance = instances[member.owner]
        assert isinstance(instance, owner), f"no {member.owner} to read {named} on"
        assert hasattr(instance, member.name), f"{named} is gone: see whoosh_private/"
        return
    method = getattr(owner, member.name, None)
    assert callable(method), f"{named} is gone: see whoosh_private/"
    parameters = tuple(inspect.signature(method).parameters)[1:]
    assert parameters == member.parameters, f"{named} now takes {parameters}"


@pytest.mark.parametrize("member", [m for m in MEMBERS if m.overridden], ids=_member_id)
def test_each_overridden_private_method_is_still_called_by_its_class(member):
    source = inspect.getsource(inspect.getmodule(owner_class(member.owner)))
    assert f"self.{member.name}(" in source, f"{member.owner} no longer calls {member.name}"


def test_a_class_here_overrides_each_overridden_member():
    overriding = {
        (member.owner, name)
        for cls in (
            whoosh_private.TaskMpWriter,
            whoosh_private.BlockPicklingWriter,
            whoosh_private.TermWritingSegmentWriter,
        )
        for base in cls.__mro__[1:2]
        for name in vars(cls)
        for member in MEMBERS
        if member.name == name and member.owner == f"{base.__module__}.{base.__qualname__}"
    }
    assert overriding == {(m.owner, m.name) for m in MEMBERS if m.overridden}


@pytest.mark.django_db
def test_a_sample_of_terms_spans_the_whole_term_dictionary_without_walking_it():
    index_seven_articles()
    index = connections["default"].get_backend().index
    (reader,) = (leaf for leaf, _ in index.reader().leaf_readers())
    every = [
        (fieldname, term)
        for fieldname in sorted(reader.indexed_field_names())
        for term in reader.lexicon(fieldname)
    ]
    sampled = whoosh_private.spread_terms(reader, 8)
    assert 8 <= len(sampled) <= 10
    assert set(sampled) <= set(every)
    assert {sampled[0], sampled[-1]} == {min(every), max(every)}
    reader.close()


def _project_files() -> list[Path]:
    """The project's Python files but whoosh_private's and this test, which name the members."""
    package = Path(whoosh_private.__file__).resolve().parent
    files = [
        *ROOT.glob("articles/**/*.py"),
        *ROOT.glob("bench/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        ROOT / "gunicorn.conf.py",
    ]
    return [
        path
        for path in files
        if package not in path.resolve().parents
        and path.resolve() != Path(__file__).resolve()
        and "migrations" not in path.parts
    ]


def _private_names_of(package: str) -> set[str]:
    """Every private name a package's classes define (methods, attributes they assign)."""
    root = Path(importlib.import_module(package).__file__).parent
    pattern = re.compile(r"(?:def |self\.)(_[a-z]\w*)\b")
    return {
        name
        for path in root.rglob("*.py")
        for name in pattern.findall(path.read_text(encoding="utf-8", errors="replace"))
    }


def test_no_other_module_reads_a_private_member_of_whoosh_or_haystack():
    """An attribute `x._name` on anything but self or cls whose name is one Whoosh or haystack
    defines, and neither Django (`model._meta`) nor the project does: it goes through
    the whoosh_private package."""
    theirs = _private_names_of("whoosh") | _private_names_of("haystack")
    theirs -= _private_names_of("django")
    found = []
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _project_files()}
    ours = {
        node.name if isinstance(node, ast.FunctionDef) else node.attr
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        or (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store))
    }
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and re.fullmatch(r"_[a-z]\w*", node.attr)
                and ast.unparse(node.value) not in ("self", "cls", "super()")
                and node.attr in (theirs - ours) | {member.name for member in MEMBERS}
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def _external(cls: type) -> list[type]:
    return [c for c in cls.__mro__[1:] if c.__module__.split(".")[0] in ("whoosh", "haystack")]


def _defines(cls: type, name: str) -> bool:
    if name in vars(cls):
        return True
    try:
        return re.search(rf"self\.{name}\b", inspect.getsource(cls)) is not None
    except (OSError, TypeError):  # a class with no source (built in)
        return False


def test_no_other_class_overrides_or_reads_a_private_member_it_inherits_from_them():
    """In the project's subclasses of Whoosh and haystack classes, `self._x`, `super()._x`
    and `def _x` where a Whoosh or haystack base defines `_x`."""
    found = []
    for path in _project_files():
        if path.relative_to(ROOT).parts[0] != "articles":
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            if not isinstance(cls, type) or not _external(cls):
                continue
            names = {
                (sub.attr, sub.lineno)
                for sub in ast.walk(node)
                if isinstance(sub, ast.Attribute) and ast.unparse(sub.value) in ("self", "super()")
            } | {
                (sub.name, sub.lineno) for sub in ast.walk(node) if isinstance(sub, ast.FunctionDef)
            }
            for name, line in names:
                private = re.fullmatch(r"_[a-z]\w*", name)
                if private and any(_defines(base, name) for base in _external(cls)):
                    found.append(f"{path.relative_to(ROOT)}:{line} {node.name}.{name}")
    assert sorted(found) == []
