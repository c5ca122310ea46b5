"""The engine stands on its own: no Django or haystack import anywhere in it, and indexes
written before it moved into its package still open."""

import ast
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import articles.search.engine
from articles.search.engine import analysis, fields, readers

ENGINE = Path(articles.search.engine.__file__).parent
# Every module of the engine and of its packages, by dotted name under it ("whoosh_private.writing").
MODULES = sorted(
    ".".join(path.relative_to(ENGINE).with_suffix("").parts).removesuffix(".__init__")
    for path in ENGINE.rglob("*.py")
    if path != ENGINE / "__init__.py"
)


def _path(module: str) -> Path:
    path = ENGINE.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


FORBIDDEN = ("django", "haystack")


def _imported_names(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", MODULES)
def test_no_engine_module_imports_django_or_haystack(module):
    imported = _imported_names(_path(module))
    assert not {name for name in imported if name.split(".")[0] in FORBIDDEN}


@pytest.mark.parametrize("module", MODULES)
def test_the_engine_imports_only_itself_and_the_parser_of_the_project(module):
    imported = _imported_names(_path(module))
    project = {name for name in imported if name.split(".")[0] == "articles"}
    assert all(name.startswith(("articles.search.engine", "articles.parsing")) for name in project)


def test_importing_the_whole_engine_loads_neither_django_nor_haystack():
    """In a fresh interpreter with no settings: what the engine imports, indirectly too."""
    program = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module('articles.search.engine.' + name)\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=ENGINE.parents[2],
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("old", "module", "name"),
    [
        ("articles.search.fields", fields, "FacetKeyword"),
        ("articles.search.fields", fields, "CompactPositions"),
        ("articles.search.analysis", analysis, "BigramTokenizer"),
        ("articles.search.readers", readers, "ArticleCodec"),
    ],
)
def test_classes_pickled_under_their_names_before_the_engine_moved_still_load(old, module, name):
    """Protocol 0's GLOBAL opcode: the module and class by name, as an older index's table of
    contents holds them."""
    assert pickle.loads(f"c{old}\n{name}\n.".encode()) is getattr(module, name)  # noqa: S301
