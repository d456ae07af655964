"""The documentation builds offline with MkDocs in strict mode (every link resolves), and its generated pages
follow the code: the CLI reference from the typer app, the data model from the records."""
import subprocess
import sys

from .conftest import ROOT


def test_docs_build_strictly_with_generated_pages(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    cli = (tmp_path / "site" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "claimscope analyze" in cli and "--wide" in cli and "claimscope check" in cli and "&lt;bool&gt;" not in cli
    model = (tmp_path / "site" / "data-model" / "index.html").read_text(encoding="utf-8")
    assert "presentation" not in model or "speaker_resolved" in model
    assert "speaker_resolved" in model and "risk_flag" in model
