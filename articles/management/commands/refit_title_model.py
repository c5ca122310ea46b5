"""Refit the archive's title-block model from the shipped one and every paper's taught examples."""

import time

from django.core.management.base import BaseCommand

from articles.title_learning import refit_all


class Command(BaseCommand):
    help = "重新拟合标题模型：出厂模型加上各报纸编辑校正得到的标题样例。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = refit_all()
        elapsed = time.perf_counter() - started
        for paper, n in counts.items():
            self.stdout.write(f"{paper}：{n} 个标题样例")
        if not counts:
            self.stdout.write("还没有标题样例：使用出厂模型。")
        self.stdout.write(f"已重新拟合 {len(counts)} 份报纸，用时 {elapsed:.2f} 秒。")
