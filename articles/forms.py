"""Admin forms: paragraphs are edited as plain text, one blank line between paragraphs."""

import re

from django import forms

from articles.models import Article

_BLANK_LINES = re.compile(r"\n\s*\n")


class ParagraphsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 20, "cols": 100})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value).replace("\r\n", "\n")
        return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ArticleForm(forms.ModelForm):
    paragraphs = ParagraphsField(label="段落", help_text="段落之间空一行")

    class Meta:
        model = Article
        fields = [
            "page",
            "seq",
            "kicker",
            "headline",
            "subheadline",
            "kind",
            "paragraphs",
            "correction",
            "organizations",
        ]
