"""The API against its OpenAPI document, on a real server (`make test-api`, pytest -m api)."""

from pathlib import Path

import pytest

from tests.browser.conftest import live_server_url  # noqa: F401 - the same demo server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.api)
