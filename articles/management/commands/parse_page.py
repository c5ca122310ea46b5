"""Print the parse of one page file, as JSON (the check_parse.py schema) or as a summary."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import parsing
from articles.page_images import read_scan
from articles.pdf.text import ScanError


class Command(BaseCommand):
    help = (
        "Parse one page file (.txt, or a .pdf read through its text layer) and print its "
        "banners and articles (nothing is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the parse as JSON"
        )

    def handle(self, *, file: Path, as_json: bool, **options):
        try:
            data = file.read_bytes()
            if file.suffix.lower() == ".pdf":
                scan = read_scan(file.name, data)
                if not scan.page_text:
                    raise CommandError(f"{file}: {scan.notice}")
                data = scan.page_text.encode("utf-8")
            page = parsing.parse_page(parsing.decode_page(data))
        except OSError as exc:
            raise CommandError(f"{file}: cannot read file: {exc.strerror}") from exc
        except (parsing.ParseError, ScanError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if as_json:
            self.stdout.write(json.dumps(page.to_dict(), ensure_ascii=False, indent=1))
            return
        for banner in page.banners:
            self.stdout.write(f"[版面] {banner}")
        for seq, article in enumerate(page.articles, start=1):
            titles = " / ".join(
                t for t in (article.kicker, article.headline, article.subheadline) if t
            )
            credits = "、".join(f"{c.name}({c.role})" for c in article.credits) or "-"
            orgs = "、".join(o.name for o in article.organizations) or "-"
            self.stdout.write(f"{seq}. [{article.kind}] {titles}")
            self.stdout.write(f"   署名: {credits}  组织: {orgs}  段落: {len(article.paragraphs)}")
        for warning in page.warnings:
            self.stderr.write(f"warning: {warning}")
