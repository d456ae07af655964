"""Ingest runs: analyse the inputs a store does not hold yet and store each analysis, one article at a time."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Optional

from ..records import Analysis, InputError
from ..store.database import Store, StoreError


def ingest_items(store: Store, analyzer, paths: list[str], *, max_bytes: int, source: Optional[str] = None, console=None, skipped=None):
    """Analyse and store every input not stored yet, with a progress bar over the articles; returns (stats, errors)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..ingest.readers import count_articles, read_inputs

    stats = {"added": 0, "already stored": 0, "near duplicates": 0}
    errors: list[InputError] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=console is None) as progress:
        task = progress.add_task("ingesting", total=count_articles(paths))
        fresh = unstored(read_inputs(paths, max_bytes=max_bytes, skipped=skipped), store, stats, source, skipped=lambda: progress.advance(task))
        for result in analyzer.documents(fresh):
            progress.advance(task)
            if isinstance(result, InputError):
                errors.append(result)
            else:
                add_result(store, result.analysis, None, stats, errors)  # the claims' vectors: embedded in one batch when the store clusters
    return stats, errors


def unstored(items: Iterable, store: Store, stats: dict, source: Optional[str], skipped: Callable[[], None]) -> Iterator:
    """The articles (and input errors) among ``items`` whose text the store does not hold yet, with the
    default outlet filled in; each stored one is counted in stats["already stored"] and reported to ``skipped``."""
    for item in items:
        if not isinstance(item, InputError):
            if source and not item.source:
                item.source = source
            if store.has(item.text):
                stats["already stored"] += 1
                skipped()
                continue
        yield item


def add_result(store: Store, analysis: Analysis, vectors: Optional[list], stats: dict, errors: list) -> None:
    """Store one analysis and count it in ``stats``; a failure is the article's error and the run goes on."""
    try:
        _id, added, original = store.add(analysis, vectors)
    except StoreError as exc:  # the database's reason, already said in one line
        errors.append(InputError(input=analysis.article.id, reason=f"not stored: {exc}"))
        return
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        errors.append(InputError(input=analysis.article.id, reason=f"not stored: {type(exc).__name__}: {exc}"))
        return
    stats["added"] += int(added)
    stats["already stored"] += int(not added)
    stats["near duplicates"] += int(added and original is not None)
