"""The realnews evaluation: analyse every article of a realnews-style gold folder (English or
Russian) and score the predictions with the folder's own scorer (score.py), so the figures are
exactly those of the dataset's published scorer."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from ..ingest.readers import article_from_text


def outlets(gold: Path) -> dict[str, tuple[str, Optional[str]]]:
    """file stem -> (URL, publication date) from sources.tsv (dates marked 'inferred' are used as well)."""
    found: dict[str, tuple[str, Optional[str]]] = {}
    table = gold / "sources.tsv"
    if not table.exists():
        return found
    with open(table, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            date = re.match(r"\d{4}-\d{2}-\d{2}", row.get("date") or "")
            found[Path(row["file"]).stem] = (row.get("url") or "", date.group(0) if date else None)
    return found


def evaluate_realnews(gold: Path, analyzer, pred: Optional[Path] = None, errors: int = 0, json_out: Optional[Path] = None,
                      use_sources: bool = False, scorer: Optional[Path] = None) -> int:
    """Write NN-slug.json for every NN-slug.txt as `claimscope analyze NN-slug.txt --format json` does (the
    dataset's run.sh), then run score.py (``scorer``: another set's, for a folder without one). ``use_sources`` also gives
    each article its URL and date from sources.tsv."""
    from ..ingest.readers import parse_date

    sources = outlets(gold) if use_sources else {}
    folder = Path(pred) if pred else Path(tempfile.mkdtemp(prefix="claimscope-realnews-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = sorted(p for p in gold.glob("[0-9][0-9]-*.txt"))
    articles = []
    for path in paths:
        url, published = sources.get(path.stem, ("", None))
        articles.append(article_from_text(str(path), path.read_text(encoding="utf-8"), url=url or None, published=parse_date(published)))
    for path, result in zip(paths, analyzer.pipe(articles)):
        target = folder / f"{path.stem}.json"
        if hasattr(result, "reason"):
            print(f"error: {path}: {result.reason}", file=sys.stderr)
            target.unlink(missing_ok=True)
            continue
        target.write_text(result.model_dump_json(indent=1), encoding="utf-8")
    command = [sys.executable, str(scorer or gold / "score.py"), str(gold), str(folder)]
    if errors:
        command += ["--errors", str(errors)]
    if json_out:
        command += ["--json", str(json_out)]
    return subprocess.run(command, check=False).returncode
