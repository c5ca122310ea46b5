"""schemathesis generates requests from /api/openapi.json and checks every response against it.

Checks chosen: no 5xx, documented status codes, content types, headers and body schemas,
input the document calls invalid refused (an empty parameter is valid: `allowEmptyValue`, it
means "not given" as on the HTML form), and a method the API lacks answered 405 with `Allow`.
Left out on purpose: `positive_data_acceptance` (a result page past the last one, or a query
of punctuation alone, is a documented 400 for well-formed input).
"""

import subprocess
import sys
from pathlib import Path

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "unsupported_method",
        "allow_header_conformance",
    ]
)


def test_every_api_response_matches_the_openapi_document(live_server_url, tmp_path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        f"{live_server_url}/api/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "60",
        "--workers",
        "1",
        "--seed",
        "7",
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
