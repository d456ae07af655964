"""Batch analysis on a Dask distributed cluster: a LocalCluster on this machine, or any running
cluster by its scheduler address (SSH, Kubernetes, HPC job queues).

Inputs are read as a stream and cut into partitions; articles whose text is already stored are
skipped before they are sent, so a run is resumable and idempotent. Each worker builds the
analysis pipeline once (a worker plugin) and analyses partitions; the client writes the results
to the store partition by partition (SQLite on one machine, PostgreSQL for a real cluster). A
partition whose worker dies is re-run by the scheduler elsewhere, and a failed partition is
retried once; an article that cannot be analysed is reported with its reason. Only a bounded
number of partitions is in flight at a time, so memory does not grow with the corpus.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Callable, Optional

from distributed import WorkerPlugin

from ..ingest.readers import count_articles, read_inputs
from ..records import Analysis, Article, InputError
from .ingest_runs import add_result, unstored

PLUGIN_NAME = "claimscope-analyzer"


@dataclass
class BatchOptions:
    config: Optional[str] = None
    registries: list[str] = field(default_factory=list)
    max_chars: int = 1_000_000
    source: Optional[str] = None


class AnalyzerPlugin(WorkerPlugin):
    """A Dask worker plugin: the pipeline is built once per worker, when the worker starts (or joins).
    Registering it again with the same options is a no-op, so a warm cluster keeps its pipelines."""

    idempotent = True

    def __init__(self, options: BatchOptions):
        self.options = options
        digest = hashlib.sha256(json.dumps(asdict(options), sort_keys=True).encode()).hexdigest()[:12]
        self.name = f"{PLUGIN_NAME}-{digest}"

    def setup(self, worker) -> None:
        from ..analyzer import Analyzer

        analyzer = Analyzer.from_options(self.options.config, registries=self.options.registries, max_chars=self.options.max_chars)
        for config in analyzer.configs.values():
            config.parse_process = False  # the cluster's worker processes already fill the cores
        analyzer.pipeline()
        if not hasattr(worker, "claimscope_analyzers"):
            worker.claimscope_analyzers = {}
        worker.claimscope_analyzers[self.name] = analyzer

    def teardown(self, worker) -> None:
        getattr(worker, "claimscope_analyzers", {}).pop(self.name, None)


def analyse_partition(articles: list[dict], plugin: str) -> list[dict]:
    """Runs on a worker: analyse a partition; every article comes back as an analysis (with its claim
    vectors) or an error."""
    from distributed import get_worker

    from ..engines.vectors import claim_vectors

    analyzer = get_worker().claimscope_analyzers[plugin]
    results = []
    for item in analyzer.documents(Article.model_validate(a) for a in articles):
        if isinstance(item, InputError):
            results.append({"error": item.model_dump()})
        else:
            found = claim_vectors(item.analysis)
            vectors = [v.astype("float32").tobytes() for v in found] if found is not None else None
            results.append({"analysis": item.analysis.model_dump_json(), "vectors": vectors})
    return results


def _partitions(items: Iterable[Article | InputError], size: int, errors: list, advance: Callable[[int], None]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for item in items:
        if isinstance(item, InputError):
            errors.append(item)
            advance(1)
            continue
        batch.append(json.loads(item.model_dump_json()))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batch(paths: list[str], store, client, *, options: BatchOptions, partition_size: int = 8, max_bytes: int,
              in_flight: Optional[int] = None, progress: Optional[Callable[[int, Optional[int]], None]] = None,
              skipped=None) -> tuple[dict, list[InputError]]:
    """Analyse the inputs on the cluster behind ``client`` and store the results; returns (stats, errors). Files of a
    folder that are not articles go to ``skipped`` (claimscope.ingest.Skipped)."""
    import numpy as np
    from distributed import as_completed

    plugin = AnalyzerPlugin(options)
    client.register_plugin(plugin, name=plugin.name)
    total = count_articles(paths)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    stats = {"added": 0, "already stored": 0, "near duplicates": 0}
    errors: list[InputError] = []
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = in_flight or 2 * workers
    fresh = unstored(read_inputs(paths, max_bytes=max_bytes, skipped=skipped), store, stats, options.source, skipped=lambda: advance(1))
    partitions = _partitions(fresh, partition_size, errors, advance)
    pending = as_completed()
    partition_ids: dict = {}

    def submit_next() -> bool:
        partition = next(partitions, None)
        if partition is None:
            return False
        future = client.submit(analyse_partition, partition, plugin.name, retries=1, pure=False)
        partition_ids[future.key] = [p["id"] for p in partition]
        pending.add(future)
        return True

    for _ in range(limit):
        if not submit_next():
            break
    for future in pending:
        ids = partition_ids.pop(future.key, [])
        try:
            results = future.result()
        except Exception as exc:  # noqa: BLE001 - the partition failed twice: report each of its articles
            errors += [InputError(input=i, reason=f"analysis failed on the cluster: {type(exc).__name__}: {exc}") for i in ids]
            advance(len(ids))
            submit_next()
            continue
        for result in results:
            if "error" in result:
                errors.append(InputError.model_validate(result["error"]))
                continue
            vectors = [np.frombuffer(v, dtype=np.float32) for v in result["vectors"]] if result["vectors"] is not None else None
            add_result(store, Analysis.model_validate_json(result["analysis"]), vectors, stats, errors)
        advance(len(results))
        submit_next()
    return stats, errors


@contextmanager
def connect(scheduler: Optional[str], workers: int = 2, threads_per_worker: int = 1) -> Iterator:
    """A Dask client: to the scheduler at ``scheduler``, or to a LocalCluster of ``workers`` processes started
    (and stopped) here, each worker's encoder limited to its threads."""
    import os

    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            yield client
        return
    os.environ["CLAIMSCOPE_THREADS"] = str(threads_per_worker)  # read by the workers' encoders
    with LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True, dashboard_address=":0",
                      silence_logs=40, memory_limit=0) as cluster, Client(cluster) as client:
        yield client
