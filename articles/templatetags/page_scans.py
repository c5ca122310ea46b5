"""The upload preview's page image: `{% upload_page_image review %}` beside a page's parse."""

from django import template

from articles.upload_scans import scan_preview

register = template.Library()


@register.inclusion_tag("admin/articles/issue/_upload_page_image.html")
def upload_page_image(review) -> dict:
    """The staged page's PDF or image with its articles' places (an upload_review.PageReview)."""
    return {"scan": scan_preview(review.file, review.preview.parsed)}
