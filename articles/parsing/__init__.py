"""Page text -> articles, with no Django: bytes are decoded by `decode_page`, and `parse_page`
returns frozen dataclasses (banners, with the paper and section they print; articles with kicker,
headline, subheadline, kind, credits, paragraphs and organizations; warnings for staff to check).

Stages, one module each: text (decoding), blocks (lines), furniture (banners), titles (line
shapes), titleblock + titlemodel (which title line is which), breaks (column breaks), bylines
(credits), organizations (union names), layout (the page as a whole, read from its first body
text up: every line above the first title block is furniture).

Learning a paper's habits from editors (for the Django side):

    from articles.parsing import TitleModel, base_model, examples_from_corrections, parse_page

    parsed = parse_page(text, paper="陕西工人报")          # paper: the upload's paper; default
                                                           # the name the banner prints, or None
    examples = examples_from_corrections(parsed, layout)   # layout: Page.layout_corrections,
                                                           # [{"op": "role", "text", "role"}, …]
    model = base_model().with_examples("陕西工人报", examples)
    parse_page(next_text, model=model, paper="陕西工人报")   # that paper's habit, learned

- `base_model()` is the shipped model (data/title_model.bin, built by
  `python -m articles.parsing.training` from ../shared; same bytes every run).
- `model.with_examples(paper, examples)` returns a new model: the paper's examples (those it
  was given before, plus these) fit an overlay read only when `parse_page(..., paper=paper)`;
  pages of every other paper parse exactly as before. Keep every confirmed example with its
  paper and rebuild the model from base_model() with each paper's examples on start-up or after
  a confirmed upload (fitting one paper's few dozen examples takes well under a second).
- `TitleExample(lines, roles, below, epaper)` is one title block (roles: kicker, headline,
  subheadline, caption); store it as JSON of those fields. `TitleModel.fit(examples)` fits a
  model from scratch (bench/parse_accuracy.py --held-out and --learning-curve use it).
- Where the model is unsure between two readings, the page's warnings say so in Chinese on
  that line: 请核对：“…”是引题还是主题？
"""

from .dictionary import Union, authority, tokenizer
from .errors import (
    BinaryContentError,
    EmptyPageError,
    NoArticlesError,
    ParseError,
    UndecodableTextError,
)
from .layout import parse_page
from .model import Credit, Kind, OrganizationMention, ParsedArticle, ParsedPage, Role
from .text import decode_page
from .titlemodel import TitleExample, TitleModel, base_model
from .training import examples_from_corrections

__all__ = [
    "BinaryContentError",
    "Credit",
    "EmptyPageError",
    "Kind",
    "NoArticlesError",
    "OrganizationMention",
    "ParseError",
    "ParsedArticle",
    "ParsedPage",
    "Role",
    "TitleExample",
    "TitleModel",
    "UndecodableTextError",
    "Union",
    "authority",
    "base_model",
    "decode_page",
    "examples_from_corrections",
    "parse_page",
    "tokenizer",
]
