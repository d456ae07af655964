import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = SHARED / "examples" / "belarus-iskander.txt"
FIXTURES = Path(__file__).with_name("fixtures")
# In CI (.ci/run) the services are installed and the tests that need them must run: never skip.
REQUIRE_SERVICES = os.environ.get("CLAIMSCOPE_REQUIRE_SERVICES") == "1"


def skip_unless(available: bool, reason: str):
    """Skip when a service is missing on a developer's machine; in CI a missing service fails the test."""
    return pytest.mark.skipif(not available and not REQUIRE_SERVICES, reason=reason)


@pytest.fixture(scope="session")
def pipeline():
    from claimscope.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def example_text() -> str:
    if EXAMPLE.exists():
        return EXAMPLE.read_text(encoding="utf-8")
    return (FIXTURES / "belarus-iskander.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example(pipeline, example_text):
    from claimscope.ingest import article_from_text

    return pipeline(article_from_text("belarus-iskander.txt", example_text))
