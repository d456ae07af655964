"""The claimscope command line: analyze, schema, events, eval, predict."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .ingest import DEFAULT_MAX_BYTES, read_inputs
from .records import Analysis, Article, InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Who says what in war and geopolitics news, how it is hedged, and on whose word.")
eval_app = typer.Typer(no_args_is_help=True, help="Score claimscope against gold annotations.")
predict_app = typer.Typer(no_args_is_help=True, help="Write predictions in a benchmark's own format.")
app.add_typer(eval_app, name="eval")
app.add_typer(predict_app, name="predict")
err = Console(stderr=True, soft_wrap=True)


def _pipeline(config: Optional[Path], model: Optional[str], registry: list[Path]):
    from .nlp import ModelMissing
    from .pipeline import Config, Pipeline

    try:
        settings = Config.load(config, model=model)
        settings.registries = [*settings.registries, *map(str, registry)]
        return Pipeline(settings)
    except (ModelMissing, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def run_inputs(paths: list[str], pipeline, max_bytes: int, encoding: str, on_article=None) -> tuple[list[Analysis], list[InputError]]:
    """Analyse every readable input; collect one error per bad input and go on."""
    from .analysers.sources import RegistryError

    analyses: list[Analysis] = []
    errors: list[InputError] = []
    for item in read_inputs(paths, max_bytes=max_bytes, encoding=encoding):
        if isinstance(item, InputError):
            errors.append(item)
            err.print(f"[red]error:[/red] {item.input}: {item.reason}")
            continue
        try:
            analysis = pipeline(item)
        except RegistryError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        except Exception as exc:  # one article's failure must not stop the batch
            errors.append(InputError(input=item.id, reason=f"analysis failed: {type(exc).__name__}: {exc}"))
            err.print(f"[red]error:[/red] {item.id}: analysis failed: {exc}")
            continue
        analyses.append(analysis)
        if on_article:
            on_article(analysis)
    return analyses, errors


@app.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl), folders, or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="text | json | html"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    config: Optional[Path] = typer.Option(None, help="Pipeline config (TOML); see claimscope/default.toml."),
    model: Optional[str] = typer.Option(None, help="Installed spaCy pipeline package to parse with."),
    registry: list[Path] = typer.Option([], help="Extra actor/source registry YAML (repeatable)."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, help="Refuse inputs larger than this."),
    encoding: str = typer.Option("utf-8", help="Text encoding of the inputs."),
):
    """Analyse articles: claims, hedges, techniques, events, sources and a verdict."""
    if format not in {"text", "json", "html"}:
        err.print(f"[red]error:[/red] unknown format {format!r} (text, json, html)")
        raise typer.Exit(2)
    pipeline = _pipeline(config, model, registry)
    analyses, errors = run_inputs(paths, pipeline, max_bytes, encoding)
    from . import render

    if format == "text":
        console = Console(file=open(out, "w", encoding="utf-8"), width=160) if out else Console(width=max(120, Console().width))
        for analysis in analyses:
            render.print_text(analysis, console)
    else:
        output = render.to_json(analyses, errors) if format == "json" else render.to_html(analyses, errors)
        if out:
            out.write_text(output, encoding="utf-8")
        else:
            sys.stdout.write(output + "\n")
    if errors:
        err.print(f"[yellow]{len(errors)} input(s) failed, {len(analyses)} analysed[/yellow]")
        raise typer.Exit(1)


@app.command()
def schema():
    """Print the JSON Schema that --format json follows."""
    from .schema import published

    sys.stdout.write(json.dumps(published(), indent=2) + "\n")


@app.command()
def events(
    paths: list[str] = typer.Argument(..., help="Files, folders, or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o"),
    format: str = typer.Option("csv", "--format", "-f", help="csv | jsonl"),
    registry: list[Path] = typer.Option([], help="Extra actor/source registry YAML (repeatable)."),
):
    """Export events in GDELT-like columns (CSV or JSONL)."""
    from .export import write_events

    pipeline = _pipeline(None, None, registry)
    analyses, errors = run_inputs(paths, pipeline, DEFAULT_MAX_BYTES, "utf-8")
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    write_events(analyses, handle, format)
    if out:
        handle.close()
    if errors:
        raise typer.Exit(1)


@eval_app.command("attribution")
def eval_attribution(
    gold: Path = typer.Option(..., help="PolNeAR split folder with text/ and attributions/ (e.g. ../shared/data/polnear/data/dev)."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N articles."),
):
    """Precision/recall/F1 for Source, Cue, Content (exact and token overlap) and full attributions."""
    from .evaluation.attribution import evaluate_polnear, format_report

    pipeline = _pipeline(None, None, [])
    sys.stdout.write(format_report(evaluate_polnear(gold, pipeline, limit)) + "\n")


@predict_app.command("attribution")
def predict_attribution(text_dir: Path, out_dir: Path):
    """Write brat .ann files (Source, Cue, Content, Attribution events) for every .txt in TEXT_DIR."""
    from .evaluation.attribution import write_brat

    pipeline = _pipeline(None, None, [])
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(text_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            err.print(f"[yellow]skipped empty file[/yellow] {path}")
            (out_dir / (path.stem + ".ann")).write_text("", encoding="utf-8")
            continue
        analysis = pipeline(Article(id=str(path), text=text))
        (out_dir / (path.stem + ".ann")).write_text(write_brat(analysis), encoding="utf-8")
        count += 1
    err.print(f"wrote {count} .ann files to {out_dir}")


@eval_app.command("techniques")
def eval_techniques(
    gold: Path = typer.Option(..., help="PTC-style folder: articles/article<ID>.txt, task1-SI.labels, task2-TC.labels."),
    split: str = typer.Option("all", help="all | dev (the fixed dev split held out from training)."),
):
    """SI span F1 (partial overlap credit) and TC micro-F1 over gold spans (SemEval-2020 Task 11)."""
    from .evaluation.techniques import dev_split, read_articles, read_si, read_tc, si_scores, tc_scores
    from .techniques_model import classify_spans, detect

    pipeline = _pipeline(None, None, [])
    texts = read_articles(gold / "articles")
    if not texts:
        err.print(f"[red]error:[/red] no article*.txt files under {gold / 'articles'}")
        raise typer.Exit(2)
    ids = sorted(dev_split(texts)) if split == "dev" else sorted(texts)
    si_gold, tc_gold = read_si(gold / "task1-SI.labels"), read_tc(gold / "task2-TC.labels")
    si_pred, tc_pred = {}, {}
    for article, doc in zip(ids, pipeline.parse(texts[a] for a in ids)):
        si_pred[article] = [(s, e) for s, e, *_ in detect(doc)]
        spans = [(s, e) for s, e, _ in tc_gold.get(article, [])]
        tc_pred[article] = [(s, e, label) for (s, e), (label, _) in zip(spans, classify_spans(texts[article], spans))]
    si, tc = si_scores(si_gold, si_pred, ids), tc_scores(tc_gold, tc_pred, ids)
    sys.stdout.write(
        f"SemEval-2020 Task 11, {len(ids)} articles ({split})\n"
        f"SI span F1 (partial overlap): P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f} (gold {si['gold']}, pred {si['pred']})\n"
        f"TC micro-F1 over gold spans: P {tc['precision']:.3f} R {tc['recall']:.3f} F1 {tc['f1']:.3f} (gold {tc['gold']})\n"
    )


@predict_app.command("techniques")
def predict_techniques(articles_dir: Path, out_file: Path):
    """Write technique spans for every article<ID>.txt as SemEval lines: id, technique, start, end."""
    from .evaluation.techniques import read_articles, write_predictions
    from .techniques_model import detect

    pipeline = _pipeline(None, None, [])
    texts = read_articles(articles_dir)
    rows = []
    for article, doc in zip(texts, pipeline.parse(texts.values())):
        rows += [(article, technique, start, end) for start, end, technique, _c, _m in detect(doc)]
    write_predictions(rows, out_file)
    err.print(f"wrote {len(rows)} spans for {len(texts)} articles to {out_file}")


@predict_app.command("checkworthiness")
def predict_checkworthiness(tsv_file: Path, out_file: Path):
    """Score every line of a CLEF-2020 Task 5 transcript: writes line_number<TAB>score."""
    from .checkworthiness import read_transcript, score

    try:
        lines = read_transcript(tsv_file)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    scores = score([line.text for line in lines])
    if not scores and lines:
        err.print("[red]error:[/red] no check-worthiness model (run scripts/train_checkworthiness.py)")
        raise typer.Exit(2)
    out_file.write_text("".join(f"{line.number}\t{value:.6f}\n" for line, value in zip(lines, scores)), encoding="utf-8")
    err.print(f"wrote {len(lines)} scores to {out_file}")


@eval_app.command("checkworthiness")
def eval_checkworthiness(
    gold: Path = typer.Option(..., help="Folder of CLEF-2020 Task 5 .tsv transcripts with labels."),
    split: str = typer.Option("all", help="all | dev (the fixed dev split held out from training)."),
):
    """Mean average precision over debates (the official metric) and P@10."""
    from .checkworthiness import average_precision, dev_split, precision_at, read_transcript, score

    files = sorted(gold.glob("*.tsv"))
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


@app.command("match-claims")
def match_claims(
    queries_tsv: Path, vclaims_tsv: Path, out_file: Path,
    top: int = typer.Option(1000, help="Verified claims ranked per query."),
    index: Optional[Path] = typer.Option(None, help="Folder for the saved index (default: ~/.cache/claimscope/claim-index)."),
    tag: str = typer.Option("claimscope"),
):
    """Rank verified claims for each query (CLEF-2020 Task 2) and write a TREC run."""
    from .claim_matching import ClaimIndex, read_queries

    claim_index = ClaimIndex.for_collection(vclaims_tsv, index)
    queries = read_queries(queries_tsv)
    with open(out_file, "w", encoding="utf-8") as handle:
        for (query_id, _text), ranked in zip(queries, claim_index.search([t for _, t in queries], top=top)):
            for rank, (claim, value) in enumerate(ranked, start=1):
                handle.write(f"{query_id}\tQ0\t{claim.id}\t{rank}\t{value:.6f}\t{tag}\n")
    err.print(f"wrote a run for {len(queries)} queries to {out_file}")


@eval_app.command("match-claims")
def eval_match_claims(
    qrels: Path = typer.Option(..., help="tweet-vclaim-pairs.qrels"),
    run: Optional[Path] = typer.Option(None, help="A TREC run to score; or give --queries and --vclaims to produce one."),
    queries: Optional[Path] = typer.Option(None),
    vclaims: Optional[Path] = typer.Option(None),
    index: Optional[Path] = typer.Option(None),
):
    """MAP@1/3/5 and MRR of a claim-matching run against CLEF-2020 Task 2 qrels."""
    from .claim_matching import ClaimIndex, map_at_k, mrr, read_qrels, read_queries, read_run

    if run is not None:
        ranked = read_run(run)
    elif queries is not None and vclaims is not None:
        claim_index = ClaimIndex.for_collection(vclaims, index)
        pairs = read_queries(queries)
        ranked = {q: [c.id for c, _ in hits] for (q, _), hits in zip(pairs, claim_index.search([t for _, t in pairs], top=20))}
    else:
        err.print("[red]error:[/red] give --run, or --queries and --vclaims")
        raise typer.Exit(2)
    relevant = read_qrels(qrels)
    sys.stdout.write(
        f"claim matching, {len(relevant)} queries: MAP@1 {map_at_k(ranked, relevant, 1):.4f}  MAP@3 {map_at_k(ranked, relevant, 3):.4f}  "
        f"MAP@5 {map_at_k(ranked, relevant, 5):.4f}  MRR {mrr(ranked, relevant):.4f}\n"
    )


@app.command("find-checks")
def find_checks(
    text: str = typer.Argument(..., help="A claim or sentence."),
    vclaims: Path = typer.Option(..., help="Verified claims (CLEF TSV with id/vclaim/title[/verdict], or JSONL)."),
    top: int = typer.Option(5),
    index: Optional[Path] = typer.Option(None),
):
    """Show the earlier fact-checks most likely to state the same claim."""
    from .claim_matching import ClaimIndex

    claim_index = ClaimIndex.for_collection(vclaims, index)
    console = Console()
    for rank, (claim, value) in enumerate(claim_index.search([text], top=top)[0], start=1):
        verdict = f" [bold]{claim.verdict}[/bold]" if claim.verdict else ""
        console.print(f"{rank}. [{value:.3f}] {claim.claim}{verdict}\n   [dim]{claim.title} (id {claim.id})[/dim]")


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, JSONL, RSS/Atom feeds (files or URLs)."),
    db: str = typer.Option("claimscope.sqlite", help="SQLite file or a SQLAlchemy URL (postgresql+psycopg://...)."),
    registry: list[Path] = typer.Option([], help="Extra actor/source registry YAML (repeatable)."),
    cluster: bool = typer.Option(True, help="Cluster new claims across articles after ingest."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES),
):
    """Analyse inputs into a store; re-runs skip what is stored, so an interrupted run resumes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .store import Store

    store = Store(db)
    pipeline = _pipeline(None, None, registry)
    stats = {"added": 0, "already stored": 0, "near duplicates": 0}
    errors: list[InputError] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task("ingesting", total=None)  # inputs are streamed, not counted first
        for item in read_inputs(paths, max_bytes=max_bytes):
            progress.advance(task)
            if isinstance(item, InputError):
                errors.append(item)
                continue
            if store.has(item.text):
                stats["already stored"] += 1
                continue
            try:
                _id, added, original = store.add(pipeline(item))
            except Exception as exc:  # one article's failure must not stop the batch
                errors.append(InputError(input=item.id, reason=f"{type(exc).__name__}: {exc}"))
                continue
            stats["added"] += int(added)
            stats["near duplicates"] += int(original is not None)
    if cluster:
        store.cluster_claims()
    counts = store.counts()
    err.print(", ".join(f"{k}: {v}" for k, v in stats.items()) + f" | store: {counts['articles']} articles, {counts['claims']} claims, {counts['clusters']} clusters")
    for error in errors:
        err.print(f"[red]failed:[/red] {error.input}: {error.reason}")
    if errors:
        raise typer.Exit(1)


@app.command()
def serve(
    db: str = typer.Option("claimscope.sqlite", help="SQLite file or SQLAlchemy URL."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8321),
):
    """Web UI and REST API (OpenAPI at /docs) over a store."""
    import uvicorn

    from .store import Store
    from .web import create_app

    uvicorn.run(create_app(Store(db)), host=host, port=port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
