"""Actor/source registry: aliases, transliterations, unknown speakers, user files, bad files."""
import pytest

from claimscope.resources.registry import Registry, RegistryError


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.mark.parametrize("name", ["Lukashenko", "Lukashenka", "Alexander Lukashenko", "Aleksandr Lukashenko's", "President Lukashenko", "Alyaksandr Lukashenka"])
def test_aliases_and_transliterations(registry, name):
    assert registry.match(name).id == "lukashenko"


def test_state_media(registry):
    assert registry.match("RIA Novosti").risk == "high"
    assert registry.match("TASS").role == "state news agency"
    assert registry.match("Reuters").risk == "low"


@pytest.mark.parametrize("name", ["John Smith", "the spokesman", "", None, "Iskander"])
def test_unknown_speakers(registry, name):
    assert registry.match(name) is None


def test_user_registry_extends_and_overrides(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("actors:\n  - id: lukashenko\n    name: Aleksandr Lukashenko\n    risk: medium\n"
                     "  - id: pravda\n    name: Pravda\n    kind: media\n    risk: high\n    aliases: [Pravda.ru]\n")
    registry = Registry.load([extra])
    assert registry.match("Lukashenko").risk == "medium"
    assert registry.match("Pravda.ru").id == "pravda"


@pytest.mark.parametrize("content, message", [
    ("actors: [unclosed", "not valid YAML"),
    ("just a string", "expected a mapping with an 'actors' list"),
    ("actors:\n  - name: No Id\n", "actor #1 is invalid (id: Field required)"),
    ("actors:\n  - id: x\n    name: X\n    risk: extreme\n", "actor #1 is invalid (risk:"),
])
def test_bad_registry_files(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(RegistryError) as info:
        Registry.load([path])
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_registry_file(tmp_path):
    with pytest.raises(RegistryError, match="cannot read"):
        Registry.load([tmp_path / "none.yaml"])


def test_cli_reports_bad_registry(tmp_path):
    from typer.testing import CliRunner

    from claimscope.cli import app

    from .conftest import FIXTURES

    bad = tmp_path / "bad.yaml"
    bad.write_text("actors: 3")
    result = CliRunner().invoke(app, ["analyze", str(FIXTURES / "belarus-iskander.txt"), "--registry", str(bad)])
    assert result.exit_code == 2 and "expected a mapping" in result.stderr


def test_attribution_reads_the_users_registry(tmp_path):
    from claimscope.analyzer import Analyzer
    from claimscope.records import Article

    extra = tmp_path / "outlets.yaml"
    extra.write_text("actors:\n  - id: harbour-courier\n    name: Harbour Courier\n    kind: media\n    risk: low\n")
    text = "Harbour Courier said the governor announced that the port was closed.\n"
    plain = Analyzer.from_options()(Article(id="t", text=text)).claims
    with_outlet = Analyzer.from_options(registries=[str(extra)])(Article(id="t", text=text)).claims
    assert [c.speaker.text for c in plain] == ["Harbour Courier"]  # an unknown name is a speaker of its own
    assert [(c.speaker.text, c.via) for c in with_outlet] == [("the governor", ["Harbour Courier"])]  # a listed outlet relays
