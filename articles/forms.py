"""Admin forms: articles (paragraphs edited as plain text, one blank line between paragraphs) and
the upload of a new issue."""

import re

from django import forms

from articles.models import Article
from articles.page_names import issue_date_range
from articles.row_locks import lock_article_pages
from articles.upload_files import PageFile, UploadError, number_pages, read_page_files
from articles.upload_jobs import undecodable_pages

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
    # The article's updated_at when the editor opened it: a save over a newer change is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.updated_at.isoformat()

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction commits this save: no other save slips
            # between; the pages first, in the order every writer locks (articles/row_locks.py).
            page = cleaned.get("page")
            lock_article_pages([self.instance.page_id, page.pk if page else None])
            current = (
                Article.objects.select_for_update(of=("self",))  # not the ordering's joins
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is None:
                raise forms.ValidationError(
                    "这篇文章在您打开之后已被撤下（重新上传或重新解析的版面不再有它），"
                    "您的修改没有保存。",
                    code="retired",
                )
            if cleaned.get("version") != current.isoformat():
                raise forms.ValidationError(
                    f"这篇文章在您打开之后已被修改（{current:%Y-%m-%d %H:%M:%S}），"
                    "您的修改没有保存：请重新打开页面，在最新内容上修改。",
                    code="stale",
                )
        return cleaned

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (the form Django's documentation gives)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        # An empty page is refused later with its file name, by the same check as ingest.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class IssueUploadForm(forms.Form):
    """Step 1 of 上传新一期: the issue and its page files; clean() reads and numbers them."""

    issue_date = forms.DateField(
        label="出版日期", widget=forms.DateInput(attrs={"type": "date"}), help_text="本期报纸的日期"
    )
    issue_number = forms.IntegerField(label="期号", required=False, min_value=1)
    files = MultipleFileField(
        label="版面文件",
        required=False,
        help_text=(
            "可多选 .txt 文件，以及各版的版面 PDF 或图片（.pdf .jpg .png，可与同版 .txt 一起上传）；"
            "版次取自文件名，如 02.txt 或 2024-03-12_02.pdf"
        ),
    )
    archive = forms.FileField(
        label="或：zip 压缩包", required=False, help_text="内含各版 .txt 文件和版面 PDF 或图片"
    )
    page_number = forms.IntegerField(
        label="版次", required=False, min_value=1, help_text="只上传一个文件且文件名不含版次时填写"
    )

    def clean_issue_date(self):
        date = self.cleaned_data["issue_date"]
        first, today = issue_date_range()
        if date > today:
            raise forms.ValidationError("出版日期不能晚于今天。", code="future")
        if date < first:
            raise forms.ValidationError(
                f"出版日期不能早于 {first:%Y年%m月%d日}（本报档案最早的日期）。", code="too_early"
            )
        return date

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            files = read_page_files(cleaned["files"], cleaned.get("archive"))
            self.page_files: list[PageFile] = number_pages(
                files, cleaned["issue_date"], cleaned.get("page_number")
            )
        except UploadError as error:
            raise forms.ValidationError(error.messages, code="files") from error
        # Decoding only: the parse runs after staging, in the background (upload_jobs.py).
        failed = undecodable_pages(self.page_files)
        if failed:
            raise forms.ValidationError(failed, code="undecodable")
        return cleaned
