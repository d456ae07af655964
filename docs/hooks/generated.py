"""MkDocs hook: pages that cannot drift from the code. ``<!-- cli-reference -->`` becomes the help of every
command of the typer app; ``<!-- data-model -->`` the fields of the output records (claimscope.records);
``<!-- changelog -->`` the repository's CHANGELOG.md."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _help(command, name: str, parent=None) -> list[str]:
    context = command.context_class(command, info_name=name, parent=parent, terminal_width=100, max_content_width=100)
    lines = [f"### `{context.command_path}`", "", "```text", command.get_help(context).strip(), "```", ""]
    if hasattr(command, "list_commands"):
        for sub in command.list_commands(context):
            lines += _help(command.get_command(context, sub), sub, context)
    return lines


def cli_reference() -> str:
    import os

    import typer

    from claimscope.cli.app import app

    os.environ.setdefault("TERMINAL_WIDTH", "100")
    command = typer.main.get_command(app)
    command.rich_markup_mode = None
    _plain(command)
    return "\n".join(_help(command, "claimscope"))


def _plain(command) -> None:
    """Plain-text help (no rich panels) for the page."""
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain(sub)


def data_model() -> str:
    from pydantic import BaseModel

    from claimscope import records

    lines = []
    models = [value for value in vars(records).values() if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
              and value.__module__ == records.__name__]
    for model in models:
        doc = (model.__doc__ or "").strip().split("\n")[0]
        lines += [f"### {model.__name__}", "", doc, "", "| field | type | meaning |", "|---|---|---|"]
        for name, field in model.model_fields.items():
            kind = getattr(field.annotation, "__name__", None) or str(field.annotation).replace("typing.", "").replace("claimscope.records.", "")
            meaning = (field.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{name}` | `{kind.replace('|', chr(92) + '|')}` | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- cli-reference -->" in markdown:
        markdown = markdown.replace("<!-- cli-reference -->", cli_reference())
    if "<!-- data-model -->" in markdown:
        markdown = markdown.replace("<!-- data-model -->", data_model())
    if "<!-- changelog -->" in markdown:
        markdown = markdown.replace("<!-- changelog -->", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").split("\n", 1)[1])
    return markdown
