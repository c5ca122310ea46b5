"""The search parameters of the HTML page and the API, validated once for both."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from articles.models import Article
from articles.search.engine.query import MAX_QUERY_LENGTH
from articles.search.service import (
    DATE_RANGE_MESSAGE,
    DEFAULT_PER_PAGE,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_PER_PAGE,
    SearchParams,
    Sort,
)

ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDateField(forms.DateField):
    """YYYY-MM-DD and nothing else (what a date input sends and the API document states):
    Django's DateField also took `2024-1-5`, ` 2024-01-05` and `01/05/2024`."""

    input_formats = ("%Y-%m-%d",)

    def to_python(self, value):
        if isinstance(value, str) and value and not ISO_DATE_RE.fullmatch(value):
            raise forms.ValidationError(
                "日期格式应为 YYYY-MM-DD，例如 2024-03-12。", code="invalid"
            )
        return super().to_python(value)


class FlagField(forms.BooleanField):
    """true/1 or false/0 (or empty: false), as the API document lists them; Django's
    BooleanField took any other text (`sub=-58800`) as true."""

    VALUES = {"": False, "false": False, "0": False, "true": True, "1": True}

    class Input(forms.CheckboxInput):
        def value_from_datadict(self, data, files, name: str):
            return data.get(name, "")  # the text sent, for to_python to judge

    widget = Input

    def to_python(self, value):
        if isinstance(value, str):
            if value not in self.VALUES:
                raise forms.ValidationError("只能是 true、false、1 或 0。", code="invalid")
            value = self.VALUES[value]
        return super().to_python(value)


def _date_field(label: str) -> forms.DateField:
    """A date the index can filter on (see EARLIEST_DATE); empty is not given."""
    validators = [
        MinValueValidator(EARLIEST_DATE, message=DATE_RANGE_MESSAGE),
        MaxValueValidator(LATEST_DATE, message=DATE_RANGE_MESSAGE),
    ]
    return IsoDateField(label=label, required=False, validators=validators)


class SearchForm(forms.Form):
    """GET parameters: q, org, sub, reporter, from, to, paper_page, kind, sort, page, per_page."""

    q = forms.CharField(label="关键词", required=False, max_length=MAX_QUERY_LENGTH)
    org = forms.CharField(label="工会", required=False, max_length=200)
    sub = FlagField(label="包括下级工会", required=False)
    reporter = forms.CharField(label="记者", required=False, max_length=100)
    paper_page = forms.IntegerField(label="版次", required=False, min_value=1, max_value=999)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部"), *Article.Kind.choices]
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=Sort.CHOICES)
    page = forms.IntegerField(label="页码", required=False, min_value=1, max_value=10_000)
    per_page = forms.IntegerField(
        label="每页条数", required=False, min_value=1, max_value=MAX_PER_PAGE
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so these two cannot be declared as attributes.
        self.fields["from"] = _date_field("起始日期")
        self.fields["to"] = _date_field("截止日期")
        self.order_fields(["q", "org", "reporter", "from", "to"])

    def clean(self) -> dict:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("from"), cleaned.get("to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError("起始日期不能晚于截止日期。", code="date_range")
        return cleaned

    def params(self) -> SearchParams:
        """The validated parameters; call only when is_valid()."""
        data = self.cleaned_data
        return SearchParams(
            q=data["q"].strip(),
            organization=" ".join(data["org"].split()),
            include_sub_unions=data["sub"],
            reporter=" ".join(data["reporter"].split()),
            date_from=data.get("from"),
            date_to=data.get("to"),
            paper_page=data["paper_page"],
            kind=data["kind"],
            sort=data["sort"] or Sort.RELEVANCE,
            page=data["page"] or 1,
            per_page=data["per_page"] or DEFAULT_PER_PAGE,
        )
