"""The claimscope command line: analyze, events, schema, components, models, eval, predict,
match-claims, find-checks, ingest, batch, cluster, check, export, serve.

Every failure a user can cause (a bad file, database, URL, registry, config, output path or
model file) ends with one line, ``error: <what>: <why>``, and exit status 1 (2 for a wrong
command line or configuration); ``--debug`` shows the traceback instead.
"""
from __future__ import annotations

import atexit
import functools
import gc
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..ingest.readers import DEFAULT_MAX_BYTES, Skipped, read_inputs
from ..records import Analysis, InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Who says what in war and geopolitics news, how it is hedged, and on whose word.")
eval_app = typer.Typer(no_args_is_help=True, help="Score claimscope against gold annotations.")
predict_app = typer.Typer(no_args_is_help=True, help="Write predictions in a benchmark's own format.")
app.add_typer(eval_app, name="eval")
app.add_typer(predict_app, name="predict")
err = Console(stderr=True, soft_wrap=True, highlight=False)
DEBUG = {"on": False}
FORMATS = {"text", "json", "jsonl", "html"}


class UsageError(Exception):
    """A wrong command line or configuration (exit status 2)."""


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _usage_errors() -> tuple[type[BaseException], ...]:
    from ..nlp.parsers import ModelMissing
    from ..pipeline import ConfigError
    from ..resources.registry import RegistryError

    return UsageError, ConfigError, ModelMissing, RegistryError


def _runtime_errors() -> tuple[type[BaseException], ...]:
    from ..engines.encoder import EncoderMissing
    from ..resources.models import ModelFileError
    from ..engines.vectors import MultilingualMissing
    from ..store import StoreError

    return EncoderMissing, ModelFileError, MultilingualMissing, StoreError, OSError, ValueError


def command(target: typer.Typer = app, *args, **kwargs):
    """Register a command whose failures end in one clear line (see the module docstring)."""

    def wrap(func):
        @functools.wraps(func)
        def run(*a, **k):
            try:
                return func(*a, **k)
            except (typer.Exit, typer.Abort, KeyboardInterrupt):
                raise
            except _usage_errors() as exc:
                if DEBUG["on"]:
                    raise
                fail(str(exc), 2)
            except _runtime_errors() as exc:
                if DEBUG["on"]:
                    raise
                fail(_describe_os_error(exc) if isinstance(exc, OSError) else str(exc), 1)
            except Exception as exc:  # noqa: BLE001 - a bug: say so in one line, the traceback is behind --debug
                if DEBUG["on"]:
                    raise
                fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1)

        return target.command(*args, **kwargs)(run)

    return wrap


def _describe_os_error(exc: OSError) -> str:
    where = exc.filename or ""
    reason = exc.strerror or str(exc)
    return f"{where}: {reason}" if where else reason


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors.")):
    DEBUG["on"] = debug


# ---- shared pieces ----

def _analyzer(config: Optional[Path], model: Optional[str], registry: list[Path], disable: list[str], max_chars: int,
              components: Optional[dict[str, dict]] = None):
    """The analyzer with the English pipeline built now, so that config, registry and model errors come before any work."""
    from ..analyzer import Analyzer

    analyzer = Analyzer.from_options(config, model=model, registries=map(str, registry), disable=disable, max_chars=max_chars, components=components)
    analyzer.pipeline()
    return analyzer


def _writable(out: Optional[Path]) -> None:
    """Refuse an output path that cannot be written, before any analysis is done."""
    if out is None:
        return
    if out.is_dir():
        fail(f"cannot write {out}: it is a folder")
    if not out.parent.exists():
        fail(f"cannot write {out}: folder {out.parent} does not exist")
    try:
        with open(out, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")


def _with_source(items, source: Optional[str]):
    for item in items:
        if source and not isinstance(item, InputError):
            item.source = source
        yield item


def analyse_inputs(paths: list[str], analyzer, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str = "utf-8",
                   source: Optional[str] = None, report: bool = True, skipped: Optional[Skipped] = None):
    """Analyse every readable input; one error per bad input, printed as it happens; the rest go on."""
    analyses: list[Analysis] = []
    errors: list[InputError] = []
    for result in analyzer.pipe(_with_source(read_inputs(paths, max_bytes=max_bytes, encoding=encoding, skipped=skipped), source)):
        if isinstance(result, InputError):
            errors.append(result)
            if report:
                err.print(f"[red]error:[/red] {result.input}: {result.reason}", highlight=False)
        else:
            analyses.append(result)
    return analyses, errors


def _single_article_input(paths: list[str]) -> bool:
    from ..ingest.readers import FEED_SUFFIXES, JSONL_SUFFIXES

    if len(paths) != 1 or paths[0].startswith(("http://", "https://")):
        return False
    path = Path(paths[0])
    return paths[0] == "-" or not path.is_dir() and path.suffix.lower() not in JSONL_SUFFIXES | FEED_SUFFIXES


CONFIG_OPTION = typer.Option(None, "--config", help="Pipeline config (TOML) or profile name (fast); see claimscope/default.toml.")
REGISTRY_OPTION = typer.Option([], "--registry", help="Extra actor/source registry YAML (repeatable).")
DISABLE_OPTION = typer.Option([], "--disable", help="Skip a pipeline component (repeatable); `claimscope components` lists them.")
ERRORS_OPTION = typer.Option(None, "--errors", help="Also write the inputs that failed here, one JSON object a line.")
MAX_CHARS_OPTION = typer.Option(1_000_000, "--max-chars", help="Refuse articles longer than this many characters (the analysis budget).")
MAX_BYTES_OPTION = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse input files larger than this.")
SOURCE_OPTION = typer.Option(None, "--source", help="The outlet (name, domain or URL) for inputs that do not give one.")


@command(app)
def analyze(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, .xml feeds), folders, URLs of feeds, or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="text | json (one article) | jsonl (one analysis per line) | html"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    source: Optional[str] = SOURCE_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    model: Optional[str] = typer.Option(None, help="Installed spaCy pipeline package to parse with."),
    registry: list[Path] = REGISTRY_OPTION,
    disable: list[str] = DISABLE_OPTION,
    max_bytes: int = MAX_BYTES_OPTION,
    max_chars: int = MAX_CHARS_OPTION,
    encoding: str = typer.Option("utf-8", help="Text encoding of the inputs (UTF-8 and UTF-16 with a BOM are recognised)."),
    errors_file: Optional[Path] = ERRORS_OPTION,
    wide: bool = typer.Option(False, "--wide", help="In the text report, show every claim's content whole (it is cut to fit otherwise)."),
    all_techniques: bool = typer.Option(False, "--all-techniques", help="Give every persuasion-technique span found, also those below their technique's calibrated threshold."),
    width: Optional[int] = typer.Option(None, "--width", min=80, help="Width of the text report in columns (default: the terminal's, at least 80; 120 with --out)."),
):
    """Analyse articles: claims, hedges, techniques, events, sources and a verdict."""
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r} (choose from {', '.join(sorted(FORMATS))})")
    if format == "json" and not _single_article_input(paths):
        raise UsageError("--format json writes one analysis; for several inputs, a folder, a JSONL corpus or a feed use --format jsonl")
    _writable(out)
    _writable(errors_file)
    analyzer = _analyzer(config, model, registry, disable, max_chars, {"techniques": {"all_techniques": True}} if all_techniques else None)
    skipped = Skipped()
    analyses, errors = analyse_inputs(paths, analyzer, max_bytes=max_bytes, encoding=encoding, source=source, skipped=skipped)
    from . import render

    if format == "json" and len(analyses) + len(errors) > 1:
        raise UsageError("the input held several articles; --format json writes one analysis: use --format jsonl")
    if format == "text":
        console = (Console(file=open(out, "w", encoding="utf-8"), width=width or 120) if out
                   else Console(width=width or max(80, Console().width)))
        for analysis in analyses:
            render.print_text(analysis, console, wide=wide)
    else:
        output = {"json": lambda: analyses[0].model_dump_json(indent=2) if analyses else "",
                  "jsonl": lambda: "\n".join(a.model_dump_json() for a in analyses),
                  "html": lambda: render.to_html(analyses, errors)}[format]()
        if out:
            out.write_text(output + ("\n" if output else ""), encoding="utf-8")
        elif output:
            sys.stdout.write(output + "\n")
    if errors_file:
        errors_file.write_text("".join(e.model_dump_json() + "\n" for e in errors), encoding="utf-8")
    if skipped:
        err.print(skipped.line(), highlight=False)
    if errors:
        err.print(f"[yellow]{len(errors)} input(s) failed, {len(analyses)} analysed[/yellow]")
        raise typer.Exit(1)


@command(app)
def schema():
    """Print the JSON Schema that --format json (and each --format jsonl line) follows."""
    from ..schema import published

    sys.stdout.write(json.dumps(published(), indent=2) + "\n")


@command(app)
def components(config: Optional[Path] = CONFIG_OPTION):
    """List the pipeline components: what each requires, assigns and can be set to, and which ones run."""
    from rich.table import Table

    from ..pipeline import Config, registered

    specs = registered()
    chosen = Config.load(config)
    table = Table(title="pipeline components", expand=True)
    for column in ("name", "runs", "requires", "assigns", "settings", "what it does"):
        table.add_column(column, overflow="fold")
    for name, spec in sorted(specs.items(), key=lambda kv: (kv[0] not in chosen.components, chosen.components.index(kv[0]) if kv[0] in chosen.components else 0, kv[0])):
        runs = "yes" if name in chosen.components and name not in chosen.exclude + chosen.disable else "no"
        settings = ", ".join(f"{k}={v!r}" for k, v in {**spec.defaults, **chosen.settings.get(name, {})}.items())
        table.add_row(name, runs, ", ".join(spec.requires), ", ".join(spec.assigns), settings, spec.doc)
    Console(width=max(140, Console().width)).print(table)


@command(app)
def models(
    check: bool = typer.Option(False, "--check", help="Verify hashes, lexicons, rule versions, libraries and training data; exit 1 on any mismatch."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", hidden=True, help="Check another copy of claimscope/data (tests)."),
):
    """List the trained model files with their manifests (how each was trained and scored)."""
    from rich.table import Table

    from ..pipeline import rule_versions
    from ..resources.lexicons import DATA
    from ..resources.models import check_all

    results = check_all(data_dir or DATA, rule_versions())
    table = Table(title="trained models", expand=True)
    for column in ("file", "MB", "trained by", "dev metrics", "status"):
        table.add_column(column, overflow="fold")
    for result in results:
        manifest = result.manifest or {}
        metrics = "; ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in (manifest.get("metrics") or {}).items())
        status = "ok" if result.ok else "; ".join(result.problems)
        if result.notes and result.ok:
            status += " (" + "; ".join(result.notes) + ")"
        table.add_row(result.model, f"{manifest.get('bytes', 0) / 1e6:.1f}", manifest.get("command", "?"), metrics, status)
    Console(width=max(140, Console().width)).print(table)
    if check:
        bad = [r for r in results if not r.ok]
        for result in bad:
            err.print(f"[red]stale or broken:[/red] {result.model}: {'; '.join(result.problems)}", highlight=False)
        if bad:
            raise typer.Exit(1)
        err.print(f"all {len(results)} model files match their manifests")


EVENT_FORMATS = {"csv", "jsonl"}


@command(app)
def events(
    paths: list[str] = typer.Argument(..., help="Files, folders, or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here; the extension (.csv, .jsonl) picks the format unless --format is given."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="csv | jsonl (default: from --out, else csv)"),
    source: Optional[str] = SOURCE_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    registry: list[Path] = REGISTRY_OPTION,
    max_chars: int = MAX_CHARS_OPTION,
):
    """Export events in GDELT-like columns with actor codes and PLOVER fields (CSV or JSONL)."""
    from ..corpus.export import write_events

    if format is None:
        suffix = out.suffix.lower().lstrip(".") if out else "csv"
        if suffix not in EVENT_FORMATS:
            raise UsageError(f"cannot tell the format from {out} (use .csv or .jsonl, or --format csv|jsonl)")
        format = suffix
    if format not in EVENT_FORMATS:
        raise UsageError(f"unknown format {format!r} (choose from csv, jsonl)")
    _writable(out)
    analyzer = _analyzer(config, None, registry, [], max_chars)
    analyses, errors = analyse_inputs(paths, analyzer, source=source)
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        write_events(analyses, handle, format)
    finally:
        if out:
            handle.close()
    if errors:
        raise typer.Exit(1)


# ---- evaluation and benchmark formats ----

def _pipeline(config: Optional[Path]):
    from ..pipeline import Config, Pipeline

    return Pipeline(Config.load(config))


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        fail(f"{path}: no such {what}")
    return path


@command(eval_app, "attribution")
def eval_attribution(
    gold: Path = typer.Option(..., help="PolNeAR split folder with text/ and attributions/ (e.g. ../shared/data/polnear/data/dev)."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N articles."),
    config: Optional[Path] = CONFIG_OPTION,
):
    """Precision/recall/F1 for Source, Cue, Content (exact and token overlap) and full attributions."""
    from ..evaluation.attribution import evaluate_polnear, format_report

    _existing(gold, "folder")
    sys.stdout.write(format_report(evaluate_polnear(gold, _pipeline(config), limit)) + "\n")


@command(eval_app, "realnews")
def eval_realnews(
    gold: Path = typer.Option(..., help="A realnews-style folder: NN-slug.txt, NN-slug.gold.json, sources.tsv and score.py."),
    pred: Optional[Path] = typer.Option(None, help="Keep the predictions (NN-slug.json) in this folder."),
    errors: int = typer.Option(0, "--errors", help="List up to N errors of each kind."),
    config: Optional[Path] = CONFIG_OPTION,
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures here (score.py --json)."),
    sources: bool = typer.Option(False, "--sources", help="Give each article its URL and date from sources.tsv (run.sh does not)."),
    scorer: Optional[Path] = typer.Option(None, help="Another set's score.py, for a folder that shares its schema but has none."),
):
    """Analyse every article of a realnews gold folder as run.sh does and score it with the folder's own score.py."""
    from ..evaluation.realnews import evaluate_realnews

    scorer = scorer or gold / "score.py"
    _existing(scorer, "scorer (score.py)")
    analyzer = _analyzer(config, None, [], [], 1_000_000)
    code = evaluate_realnews(gold, analyzer, pred, errors, json_out, use_sources=sources, scorer=scorer)
    raise typer.Exit(code)


@command(predict_app, "attribution")
def predict_attribution(text_dir: Path, out_dir: Path, config: Optional[Path] = CONFIG_OPTION):
    """Write brat .ann files (Source, Cue, Content, Attribution events) for every .txt in TEXT_DIR."""
    from ..evaluation.attribution import write_brat
    from ..records import Article

    _existing(text_dir, "folder")
    pipeline = _pipeline(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = sorted(text_dir.glob("*.txt"))
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    for path in [p for p in paths if not texts[p].strip()]:
        err.print(f"[yellow]empty file, empty .ann written:[/yellow] {path}")
        (out_dir / (path.stem + ".ann")).write_text("", encoding="utf-8")
    full = [p for p in paths if texts[p].strip()]
    for path, analysis in zip(full, pipeline.pipe(Article(id=str(p), text=texts[p]) for p in full)):
        (out_dir / (path.stem + ".ann")).write_text(write_brat(analysis), encoding="utf-8")
    err.print(f"wrote {len(full)} .ann files to {out_dir}")


@command(eval_app, "events")
def eval_events(
    gold: Path = typer.Option(..., help="PLOVER gold standard records, one JSON object a line (e.g. ../shared/data/plover-gsr/dev.jsonl), "
                                         "or a folder of articles annotated for every event (NN.txt, NN.events.json: bench/data/events-heldout)."),
    config: Optional[Path] = CONFIG_OPTION,
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures here."),
):
    """Event-type P/R/F1 and top-1 accuracy of the main event, per-type table, source and target code accuracy; on a
    folder of articles annotated for every event, event precision and recall as realnews-dev2's score.py counts them."""
    from ..evaluation.events import format_exhaustive, format_report, predict, read_exhaustive, read_records, score, score_exhaustive

    if _existing(gold, "file or folder").is_dir():
        from ..ingest import read_inputs

        try:
            items = read_exhaustive(gold)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            fail(f"{gold}: {exc}")
        analyzer = _analyzer(config, None, [], [], 1_000_000)
        result = score_exhaustive(items, list(analyzer.pipe(read_inputs([str(path) for path, _gold in items]))))
        analyzer.close()
        report = format_exhaustive(result)
    else:
        records = read_records(gold)
        result = score(records, predict(records, _pipeline(config)))
        report = format_report(result)
    sys.stdout.write(report + "\n")
    if json_out:
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


@command(predict_app, "events")
def predict_events(in_file: Path, out_file: Path, config: Optional[Path] = CONFIG_OPTION):
    """Code the events of every line of IN ({"id", "text"} per line) into OUT: {"id", "events": [...]}, the main event first."""
    from ..evaluation.events import predict, read_records

    records = read_records(_existing(in_file, "file"))
    _writable(out_file)
    predictions = predict(records, _pipeline(config))
    out_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8")
    err.print(f"wrote events for {len(predictions)} records to {out_file}")


@command(eval_app, "spread")
def eval_spread(
    gold: Path = typer.Option(..., help="A spread folder: articles, sources.tsv, gold.jsonl, stories.jsonl (e.g. bench/data/spread-dev)."),
    db: Optional[str] = typer.Option(None, help="Keep the store here (a new SQLite file or URL); by default a temporary one. An existing store is scored as it is."),
    config: Optional[Path] = CONFIG_OPTION,
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures here."),
    same_day: bool = typer.Option(False, "--same-day", help="Put every article on one day, so that the window of days separates no story (a harder test)."),
):
    """Ingest every story's articles into a store and score clustering (pairwise P/R/F1), presentation accuracy and laundering P/R."""
    import tempfile

    from ..evaluation.spread import format_report, ingest_gold, score
    from ..store import Store

    _existing(gold / "gold.jsonl", "gold file (gold.jsonl)")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(db or str(Path(tmp) / "spread.sqlite"))
        if not store.counts()["articles"]:
            for error in ingest_gold(gold, store, _analyzer(config, None, [], [], 1_000_000), same_day):
                err.print(f"[red]failed:[/red] {error}", highlight=False)
            store.cluster_claims()
        result = score(gold, store)
        store.engine.dispose()
    sys.stdout.write(format_report(result) + "\n")
    if json_out:
        json_out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")


@command(eval_app, "techniques")
def eval_techniques(
    gold: Path = typer.Option(..., help="PTC-style folder: articles/article<ID>.txt, task1-SI.labels, task2-TC.labels."),
    split: str = typer.Option("all", help="all | dev (the fixed dev split held out from training)."),
    config: Optional[Path] = CONFIG_OPTION,
):
    """SI span F1 (partial overlap credit) and TC micro-F1 over gold spans (SemEval-2020 Task 11)."""
    from ..evaluation.techniques import evaluate_ptc

    _existing(gold, "folder")
    sys.stdout.write(evaluate_ptc(gold, split, _pipeline(config)) + "\n")


@command(predict_app, "techniques")
def predict_techniques(articles_dir: Path, out_file: Path, config: Optional[Path] = CONFIG_OPTION):
    """Write technique spans for every article<ID>.txt as SemEval lines: id, technique, start, end."""
    from ..evaluation.techniques import predict_ptc

    _existing(articles_dir, "folder")
    count, articles = predict_ptc(articles_dir, out_file, _pipeline(config))
    err.print(f"wrote {count} spans for {articles} articles to {out_file}")


@command(predict_app, "checkworthiness")
def predict_checkworthiness(tsv_file: Path, out_file: Path):
    """Score every line of a CLEF-2020 Task 5 transcript: writes line_number<TAB>score."""
    from ..engines.checkworthiness import read_transcript, score

    lines = read_transcript(_existing(tsv_file, "file"))
    scores = score([line.text for line in lines])
    out_file.write_text("".join(f"{line.number}\t{value:.6f}\n" for line, value in zip(lines, scores)), encoding="utf-8")
    err.print(f"wrote {len(lines)} scores to {out_file}")


@command(eval_app, "checkworthiness")
def eval_checkworthiness(
    gold: Path = typer.Option(..., help="Folder of CLEF-2020 Task 5 .tsv transcripts with labels."),
    split: str = typer.Option("all", help="all | dev (the fixed dev split held out from training)."),
):
    """Mean average precision over debates (the official metric) and P@10."""
    from ..engines.checkworthiness import average_precision, dev_split, precision_at, read_transcript, score

    files = sorted(_existing(gold, "folder").glob("*.tsv"))
    if split == "dev":
        keep = dev_split([f.name for f in files])
        files = [f for f in files if f.name in keep]
    aps, p10 = [], []
    for path in files:
        lines = read_transcript(path)
        labels = [line.label or 0 for line in lines]
        scores = score([line.text for line in lines])
        aps.append(average_precision(labels, scores))
        p10.append(precision_at(labels, scores, 10))
    sys.stdout.write(f"check-worthiness, {len(files)} debates ({split}): MAP {sum(aps) / max(1, len(aps)):.4f}  P@10 {sum(p10) / max(1, len(p10)):.3f}\n")


def _claim_index(vclaims: Path, index: Optional[Path]):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..engines.claim_matching import ClaimIndex

    _existing(vclaims, "file")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task("encoding verified claims (once per collection)", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return ClaimIndex.for_collection(vclaims, index, progress=advance)


@command(app, "match-claims")
def match_claims(
    queries_tsv: Path, vclaims_tsv: Path, out_file: Path,
    top: int = typer.Option(1000, help="Verified claims ranked per query."),
    index: Optional[Path] = typer.Option(None, help="Folder for the saved index (default: ~/.cache/claimscope/claim-index)."),
    tag: str = typer.Option("claimscope"),
):
    """Rank verified claims for each query (CLEF-2020 Task 2) and write a TREC run."""
    from ..engines.claim_matching import read_queries

    queries = read_queries(_existing(queries_tsv, "file"))
    claim_index = _claim_index(vclaims_tsv, index)
    _writable(out_file)
    with open(out_file, "w", encoding="utf-8") as handle:
        for (query_id, _text), ranked in zip(queries, claim_index.search([t for _, t in queries], top=top)):
            for rank, (claim, value) in enumerate(ranked, start=1):
                handle.write(f"{query_id}\tQ0\t{claim.id}\t{rank}\t{value:.6f}\t{tag}\n")
    err.print(f"wrote a run for {len(queries)} queries to {out_file}")


@command(eval_app, "match-claims")
def eval_match_claims(
    qrels: Path = typer.Option(..., help="tweet-vclaim-pairs.qrels"),
    run: Optional[Path] = typer.Option(None, help="A TREC run to score; or give --queries and --vclaims to produce one."),
    queries: Optional[Path] = typer.Option(None),
    vclaims: Optional[Path] = typer.Option(None),
    index: Optional[Path] = typer.Option(None),
):
    """MAP@1/3/5 and MRR of a claim-matching run against CLEF-2020 Task 2 qrels."""
    from ..engines.claim_matching import map_at_k, mrr, read_qrels, read_queries, read_run

    if run is not None:
        ranked = read_run(_existing(run, "file"))
    elif queries is not None and vclaims is not None:
        claim_index = _claim_index(vclaims, index)
        pairs = read_queries(_existing(queries, "file"))
        ranked = {q: [c.id for c, _ in hits] for (q, _), hits in zip(pairs, claim_index.search([t for _, t in pairs], top=20))}
    else:
        raise UsageError("give --run, or --queries and --vclaims")
    relevant = read_qrels(_existing(qrels, "file"))
    sys.stdout.write(
        f"claim matching, {len(relevant)} queries: MAP@1 {map_at_k(ranked, relevant, 1):.4f}  MAP@3 {map_at_k(ranked, relevant, 3):.4f}  "
        f"MAP@5 {map_at_k(ranked, relevant, 5):.4f}  MRR {mrr(ranked, relevant):.4f}\n"
    )


@command(app, "find-checks")
def find_checks(
    text: str = typer.Argument(..., help="A claim or sentence."),
    vclaims: Path = typer.Option(..., help="Verified claims (CLEF TSV with id/vclaim/title[/verdict], or JSONL)."),
    top: int = typer.Option(5),
    index: Optional[Path] = typer.Option(None),
):
    """Show the earlier fact-checks most likely to state the same claim."""
    claim_index = _claim_index(vclaims, index)
    console = Console()
    for rank, (claim, value) in enumerate(claim_index.search([text], top=top)[0], start=1):
        verdict = f" [bold]{claim.verdict}[/bold]" if claim.verdict else ""
        console.print(f"{rank}. [{value:.3f}] {claim.claim}{verdict}\n   [dim]{claim.title} (id {claim.id})[/dim]")


# ---- corpus mode ----

@command(app)
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, JSONL, RSS/Atom feeds (files or URLs)."),
    db: str = typer.Option("claimscope.sqlite", help="SQLite file (created if absent) or a SQLAlchemy URL (postgresql+psycopg://...)."),
    source: Optional[str] = SOURCE_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    registry: list[Path] = REGISTRY_OPTION,
    cluster: bool = typer.Option(True, help="Cluster new claims across articles after ingest."),
    max_bytes: int = MAX_BYTES_OPTION,
    max_chars: int = MAX_CHARS_OPTION,
    errors_file: Optional[Path] = ERRORS_OPTION,
):
    """Analyse inputs into a store; re-runs skip what is stored, so an interrupted run resumes."""
    from ..corpus.ingest_runs import ingest_items
    from ..store import Store

    _writable(errors_file)
    store = Store(db)
    analyzer = _analyzer(config, None, registry, [], max_chars)
    skipped = Skipped()
    stats, errors = ingest_items(store, analyzer, paths, max_bytes=max_bytes, source=source, console=err, skipped=skipped)
    analyzer.close()  # the parse process's memory is free before clustering
    _finish_store_run(store, stats, errors, errors_file, cluster, skipped)


def _finish_store_run(store, stats: dict, errors: list[InputError], errors_file: Optional[Path], cluster: bool, skipped: Optional[Skipped] = None) -> None:
    """After ingest or batch: cluster the new claims, say what the store holds and which files were skipped, report
    every input that failed (and write the --errors file); exit status 1 when any did."""
    if cluster:
        store.cluster_claims()
    counts = store.counts()
    err.print(", ".join(f"{k}: {v}" for k, v in stats.items()) + f" | store: {counts['articles']} articles, {counts['claims']} claims, {counts['clusters']} clusters")
    if skipped:
        err.print(skipped.line(), highlight=False)
    for error in errors:
        err.print(f"[red]failed:[/red] {error.input}: {error.reason}", highlight=False)
    if errors_file:
        errors_file.write_text("".join(e.model_dump_json() + "\n" for e in errors), encoding="utf-8")
    if errors:
        raise typer.Exit(1)


@command(app)
def batch(
    paths: list[str] = typer.Argument(..., help="Files, folders, JSONL, RSS/Atom feeds (files or URLs), as for ingest."),
    db: str = typer.Option("claimscope.sqlite", help="SQLite file for a LocalCluster, or a PostgreSQL URL (postgresql+psycopg://...) for a real cluster."),
    scheduler: Optional[str] = typer.Option(None, help="Address of a running Dask scheduler (tcp://host:8786); without it a LocalCluster runs here."),
    workers: int = typer.Option(2, min=1, help="LocalCluster worker processes."),
    threads_per_worker: int = typer.Option(1, min=1, help="LocalCluster threads per worker (the encoder's threads)."),
    partition_size: int = typer.Option(8, min=1, help="Articles sent to a worker at a time."),
    source: Optional[str] = SOURCE_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    registry: list[Path] = REGISTRY_OPTION,
    cluster: bool = typer.Option(True, help="Cluster new claims across articles after the batch."),
    max_bytes: int = MAX_BYTES_OPTION,
    max_chars: int = MAX_CHARS_OPTION,
    errors_file: Optional[Path] = ERRORS_OPTION,
):
    """Analyse inputs on a Dask cluster into a store; like ingest, re-runs skip what is stored."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..corpus.batch import BatchOptions, connect, run_batch
    from ..pipeline import Config
    from ..resources.registry import cached_registry
    from ..store import Store

    _writable(errors_file)
    Config.load(config)  # a bad config or registry fails here, before a cluster starts
    cached_registry(tuple(str(p) for p in registry))
    store = Store(db)
    options = BatchOptions(config=str(config) if config else None, registries=[str(p) for p in registry], max_chars=max_chars, source=source)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with connect(scheduler, workers, threads_per_worker) as client, Progress(*columns, console=err) as progress:
        if "dashboard" in client.scheduler_info().get("services", {}):
            err.print(f"Dask dashboard: {client.dashboard_link}", highlight=False)
        task = progress.add_task("analysing", total=None)
        skipped = Skipped()
        stats, errors = run_batch(paths, store, client, options=options, partition_size=partition_size, max_bytes=max_bytes,
                                  progress=lambda done, total: progress.update(task, completed=done, total=total), skipped=skipped)
    _finish_store_run(store, stats, errors, errors_file, cluster, skipped)


@command(app, "cluster")
def cluster_command(
    db: str = typer.Option("claimscope.sqlite", help="An existing SQLite file or SQLAlchemy URL."),
    method: str = typer.Option("ann", help="ann (an HNSW index over cluster centroids) | exact (every centroid)."),
    threshold: Optional[float] = typer.Option(None, help="Cosine to join a cluster of the same speaker (default: the vector space's, see claimscope.engines.vectors)."),
    other_speaker_threshold: Optional[float] = typer.Option(None, help="Cosine to join a cluster of another speaker (default: the vector space's)."),
):
    """Cluster the claims not clustered yet (ingest and batch do this unless --no-cluster)."""
    from ..store import Store

    if method not in {"ann", "exact"}:
        raise UsageError(f"unknown method {method!r} (choose from ann, exact)")
    store = Store(db, create=False)
    assigned = store.cluster_claims(threshold, other_speaker_threshold, method=method)
    counts = store.counts()
    err.print(f"clustered {assigned} claims | store: {counts['claims']} claims, {counts['clusters']} clusters")


@command(app)
def check(
    db: str = typer.Option("claimscope.sqlite", help="An existing SQLite file or SQLAlchemy URL."),
    repair: bool = typer.Option(False, "--repair", help="Rebuild the derived data that is wrong (vectors, clusters, full-text indexes); analyses are never touched."),
):
    """Verify a store's invariants: each article stored once and whole, every claim in one existing cluster, cluster sizes
    and centroids those of their members, full-text indexes in step, every claim's vector; exit status 1 names each violation."""
    from ..store import Store, check as check_store, repair as repair_store

    store = Store(db, create=False)
    violations = check_store(store)
    if violations and repair:
        done = repair_store(store, violations)
        err.print("repaired: " + (", ".join(f"{what} {count}" for what, count in done.items()) or "nothing to rebuild"), highlight=False)
        violations = check_store(store)
    counts = store.counts()
    for violation in violations:
        err.print(f"[red]violation:[/red] {violation.kind}: {violation.message}" + ("" if violation.repairable else " (not repairable: derived from no other data)"), highlight=False)
    err.print(f"{'ok' if not violations else f'{len(violations)} violations'} | store: {counts['articles']} articles, {counts['claims']} claims, {counts['clusters']} clusters", highlight=False)
    if violations:
        raise typer.Exit(1)


@command(app)
def export(
    folder: Path = typer.Argument(..., help="Folder to write articles, claims, events and clusters into (created if absent)."),
    db: str = typer.Option("claimscope.sqlite", help="An existing SQLite file or SQLAlchemy URL."),
    format: str = typer.Option("parquet", "--format", "-f", help="parquet (one .parquet file a table) or csv (one .csv file a table)."),
):
    """Export a store's tables for pandas, DuckDB, Spark or a spreadsheet."""
    from ..corpus.export import write_tables
    from ..store import Store

    if format not in {"parquet", "csv"}:
        raise UsageError(f"unknown format {format!r} (choose from parquet, csv)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"cannot write into {folder}: it is a file")
    counts = write_tables(Store(db, create=False), folder, format)
    err.print(", ".join(f"{name}: {count} rows" for name, count in counts.items()) + f" -> {folder}")


@command(app)
def serve(
    db: str = typer.Option("claimscope.sqlite", help="An existing SQLite file or SQLAlchemy URL (ingest creates it)."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8321),
):
    """Web UI and REST API (API reference at /docs) over a store."""
    import uvicorn

    from ..store import Store
    from ..web.app import create_app

    uvicorn.run(create_app(Store(db, create=False)), host=host, port=port)


def _help_types_as_names() -> None:
    """typer 0.29 prints each parameter's Python type in help ("<bool>", "<list[str]>", "<int range>"): show click's type
    names instead (TEXT, INTEGER, PATH), nothing for flags and arguments, as Datasette's and click's help read."""
    from typer import core

    names = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH", "Path": "PATH", "file": "PATH", "dir": "FOLDER"}

    def shown(self, ctx):
        if isinstance(self, core.TyperArgument) or getattr(self, "is_flag", False):
            return None
        if self.metavar:
            return self.metavar
        python = core._TyperParameter.display_type(self, ctx).strip("<>").removeprefix("list[").removesuffix("]").split()[0]
        return names.get(python, python.upper())

    core.TyperArgument.display_type_rich = shown
    core.TyperOption.display_type_rich = shown


_help_types_as_names()


def main() -> None:
    # At exit the interpreter's last collections walk every object still alive, the loaded models' included (about
    # 0.3 s of a three-sentence `analyze`): frozen first (gc.freeze), they are freed without being walked.
    atexit.register(gc.freeze)
    app()


if __name__ == "__main__":
    main()
