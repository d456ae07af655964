"""Outlet ratings (by name, domain, URL and site; unknown outlets stay unknown) and the
anniversary table that dates articles without a written year."""
import json

import pytest
from typer.testing import CliRunner

from claimscope.analysers.normalise import anniversary_years
from claimscope.cli import app
from claimscope.resources.outlets import domain_of, rate_outlet
from claimscope.resources.registry import cached_registry

from .conftest import EXAMPLE, FIXTURES

runner = CliRunner()


@pytest.fixture(scope="module")
def registry():
    return cached_registry()


@pytest.mark.parametrize("given", ["TASS", "tass.com", "https://www.tass.com/politics/1234567", "http://TASS.com"])
def test_state_agency_by_name_domain_or_url(registry, given):
    rating = rate_outlet(registry, source=given)
    assert rating.risk == "high" and rating.domain == "tass.com" and rating.actor.name == "TASS"
    assert set(rating.rated_by) == {"CRED-1", "claimscope registry"} and "CRED-1" in rating.description


def test_subdomain_is_rated_by_its_listed_parent(registry):
    rating = rate_outlet(registry, source="https://en.news.sputniknews.com/20240101/x.html")
    assert rating.risk == "high" and "CRED-1" in rating.rated_by and rating.actor.name == "Sputnik"


@pytest.mark.parametrize("given", ["Reuters", "reuters.com", "https://www.reuters.com/world/europe/x/"])
def test_international_agency_is_low_risk(registry, given):
    rating = rate_outlet(registry, source=given)
    assert rating.risk == "low" and rating.actor.name == "Reuters" and rating.rated_by == ["claimscope registry"]


@pytest.mark.parametrize("given", ["Example Weekly", "unlisted-outlet-for-tests.org", "https://news.unlisted-outlet-for-tests.org/a/1"])
def test_unlisted_outlets_are_unrated_never_reliable(registry, given):
    rating = rate_outlet(registry, source=given)
    assert rating.risk == "unknown" and rating.rated_by == [] and rating.description.startswith("unrated:")


@pytest.mark.parametrize("given", ["m24.ru", "https://www.ntv.ru/novosti/1", "Москва 24", "ONT"])
def test_state_owned_outlets_are_rated_by_their_documented_owner(registry, given):
    rating = rate_outlet(registry, source=given)
    assert rating.risk == "high" and rating.rated_by == ["outlet ownership"] and "ownership: Wikipedia" in rating.description


def test_source_wins_over_url_and_url_over_site(registry):
    assert rate_outlet(registry, source="Reuters", url="https://tass.com/x").actor.name == "Reuters"
    assert rate_outlet(registry, url="https://tass.com/x", site="Reuters").actor.name == "TASS"
    assert rate_outlet(registry, site="Sputnik").risk == "high"
    assert rate_outlet(registry) is None


@pytest.mark.parametrize("value, domain", [("https://www.bbc.co.uk/news", "bbc.co.uk"), ("ria.ru/20240101/x", "ria.ru"),
                                           ("TASS", None), ("not a domain.", None), ("", None)])
def test_domain_of(value, domain):
    assert domain_of(value) == domain


def test_cli_verdict_rates_the_outlet_given_with_source():
    article = str(EXAMPLE if EXAMPLE.exists() else FIXTURES / "belarus-iskander.txt")
    ratings = {}
    for source in ("tass.com", "reuters.com", "unlisted-outlet-for-tests.org"):
        result = runner.invoke(app, ["analyze", article, "--source", source, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        ratings[source] = json.loads(result.stdout)["verdict"]["outlet"]
    assert ratings["tass.com"]["risk"] == "high" and ratings["reuters.com"]["risk"] == "low"
    assert ratings["unlisted-outlet-for-tests.org"]["risk"] == "unknown"


@pytest.mark.parametrize("text, years", [
    ("on the 80th anniversary of the liberation of Kyiv", [2023]),
    ("marking the 80th anniversary of Belarus's liberation from Nazi invaders", [2024]),
    ("on the fortieth anniversary of the Chernobyl disaster", [2026]),
    ("the 10th anniversary of the annexation of Crimea", [2024]),
    ("the 30th anniversary of the 1994 Budapest Memorandum", [2024]),
    ("the 5th anniversary of Zelensky's election victory", []),  # not a listed event: no year is guessed
    ("the 100th anniversary of the founding of the village school", []),
])
def test_anniversaries_date_only_listed_events(text, years):
    assert anniversary_years(text) == years
