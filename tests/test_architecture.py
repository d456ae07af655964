"""The package's shape: layers as folders with imports running one way (records and resources at the bottom,
the CLI and the web UI at the top), no import circles, components whose declared fields exist and whose settings
are typed."""
import ast
from pathlib import Path

import pytest

from claimscope.pipeline import Config, ConfigError, Pipeline, component, rule_versions

PACKAGE = Path(__file__).resolve().parents[1] / "claimscope"
LAYERS = [("claimscope.records", 0), ("claimscope.schema", 1), ("claimscope.resources", 1), ("claimscope.ingest", 2), ("claimscope.nlp", 2),
          ("claimscope.engines", 2), ("claimscope.document", 3), ("claimscope.pipeline", 3), ("claimscope.analysers", 4),
          ("claimscope.languages", 4), ("claimscope.analyzer", 5), ("claimscope.store", 6), ("claimscope.corpus", 7),
          ("claimscope.evaluation", 7), ("claimscope.cli", 8), ("claimscope.web", 8)]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("claimscope")):
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([node.module] if node.module else [])) if node.level else node.module
                targets |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("claimscope.")}
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def layer(name: str):
    return next((level for prefix, level in LAYERS if name == prefix or name.startswith(prefix + ".")), None)


def test_imports_never_run_up_the_layers():
    upward = sorted((a, b) for a, targets in imports().items() for b in targets
                    if layer(a) is not None and layer(b) is not None and layer(b) > layer(a))
    assert upward == []


def test_no_import_circles():
    graph = imports()
    seen, stack, cycles = set(), [], []

    def visit(node, path):
        if node in path:
            cycles.append(path[path.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        for target in sorted(graph.get(node, ())):
            visit(target, path + [node])

    for node in sorted(graph):
        visit(node, [])
    assert cycles == []


def test_a_language_package_holds_only_its_parser_adapter_patterns_and_words():
    """Claim building, the speaker chain, hedging and events are language-neutral analysers; a language brings its words
    (resources.py), and where it has its own parser, the adapter and the attribution patterns over that parser's labels."""
    allowed = {"__init__.py", "resources.py", "parser.py", "attribution.py"}
    for language in (PACKAGE / "languages").iterdir():
        if language.is_dir() and language.name != "__pycache__":
            assert {p.name for p in language.glob("*.py")} <= allowed, language.name
    speaking = sorted(a for a, targets in imports().items() if a.startswith("claimscope.analysers")
                      for b in targets if b.startswith("claimscope.languages."))
    assert speaking == []  # analysers read a language through claimscope.languages.resources(code), never by name


def test_a_component_must_declare_fields_that_exist():
    with pytest.raises(TypeError, match="'speakers' is not a field"):
        component("declares_a_missing_field", assigns=["speakers"])(lambda document, settings: None)
    component("declares_an_item_field", requires=["claims"], assigns=["claims.speaker_resolved"])(lambda document, settings: None)


def test_a_setting_of_the_wrong_type_fails_when_the_pipeline_is_built():
    config = Config.load(settings=None)
    config.settings["verdict"] = {"same_claim_score": "seventy"}
    with pytest.raises(ConfigError, match="setting 'same_claim_score' must be int"):
        Pipeline(config)


def test_rule_versions_are_declared_on_components():
    assert rule_versions()["attribution"]


def test_an_installed_package_adds_components_through_an_entry_point(monkeypatch, tmp_path):
    import importlib.metadata
    import sys

    from claimscope import pipeline

    (tmp_path / "outside_components.py").write_text(
        "from claimscope.pipeline import component\n\n"
        "@component('outside_marker', requires=['sentences'], assigns=['hedges'])\n"
        "def outside_marker(document, settings):\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    point = importlib.metadata.EntryPoint(name="outside_marker", value="outside_components", group=pipeline.ENTRY_POINTS)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None: [point] if group == pipeline.ENTRY_POINTS else [])
    from typer.testing import CliRunner

    from claimscope.cli.app import app

    listing = CliRunner().invoke(app, ["components"])
    assert listing.exit_code == 0 and "outside_marker" in listing.stdout
    assert "outside_marker" in pipeline.registered()
    sys.modules.pop("outside_components", None)
    pipeline.COMPONENTS.pop("outside_marker", None)
