"""Event coding against PLOVER gold standard records (one sentence, one gold event each).

``predict`` writes one JSON line per record with its events, the main one first; ``score`` gives
event-type precision/recall/F1 over records (the prediction is the main event's PLOVER type, or
none), top-1 accuracy, whether the gold type is among the predicted ones, a per-type table,
and source/target code accuracy (the main event's actor code against the gold actors' codes,
over records whose gold has that actor).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from ..records import Article, Event


def read_records(path: Path) -> list[dict]:
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        if not isinstance(record, dict) or "text" not in record:
            raise ValueError(f"{path}:{number}: expected an object with 'id' and 'text'")
        record.setdefault("id", str(number))
        records.append(record)
    return records


def event_json(event: Event) -> dict:
    return {
        "plover": event.plover, "plover_mode": event.plover_mode, "cameo": event.cameo_code, "goldstein": event.goldstein,
        "trigger": event.trigger.text, "mode": event.mode,
        "source": {"text": event.actor, "code": event.actor_code, "sector": event.actor_sector} if event.actor or event.actor_code else None,
        "target": {"text": event.target, "code": event.target_code, "sector": event.target_sector} if event.target or event.target_code else None,
        "negated": event.negated, "claimed_by": event.attributed_to, "claim_id": event.claim_id,
    }


def ranked(events: Iterable[Event]) -> list[Event]:
    """Events of a record, the main one first: observed before hypothetical, PLOVER events before plain statements."""
    return sorted(events, key=lambda e: (e.negated, e.mode != "observed", e.plover == "OTHER", e.sentence))


def predict(records: list[dict], pipeline) -> list[dict]:
    articles = [Article(id=str(r["id"]), text=r["text"]) for r in records]
    return [{"id": r["id"], "events": [event_json(e) for e in ranked(a.events + a.unrealised_events) if not e.negated]} for r, a in zip(records, pipeline.pipe(articles))]


def _codes(actors) -> set[str]:
    return {str(a.get("code") or "")[:3].upper() for a in actors or [] if a.get("code")}


def score(records: list[dict], predictions: list[dict]) -> dict:
    by_id = {p["id"]: p for p in predictions}
    per_type: dict[str, Counter] = defaultdict(Counter)
    tp = fp = fn = anywhere = 0
    source_hits = source_n = target_hits = target_n = 0
    for record in records:
        gold = record["event"]
        events = by_id.get(record["id"], {}).get("events", [])
        main = next((e for e in events if e["plover"] != "OTHER" and e["mode"] == "observed"), None) or next((e for e in events if e["plover"] != "OTHER"), None)
        predicted = main["plover"] if main else None
        anywhere += gold in {e["plover"] for e in events}
        if predicted == gold:
            tp += 1
            per_type[gold]["tp"] += 1
        else:
            fn += 1
            per_type[gold]["fn"] += 1
            if predicted is not None:
                fp += 1
                per_type[predicted]["fp"] += 1
        for role, field in (("source", "source"), ("target", "target")):
            gold_codes = _codes(record.get(field))
            if not gold_codes:
                continue
            found = ((main or {}).get(role) or {}).get("code")
            hit = bool(found) and found[:3].upper() in gold_codes
            if role == "source":
                source_n += 1
                source_hits += hit
            else:
                target_n += 1
                target_hits += hit

    def prf(t, f_pos, f_neg):
        p = t / (t + f_pos) if t + f_pos else 0.0
        r = t / (t + f_neg) if t + f_neg else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    precision, recall, f1 = prf(tp, fp, fn)
    table = {t: dict(zip(("p", "r", "f1"), prf(c["tp"], c["fp"], c["fn"]))) | {"gold": c["tp"] + c["fn"]} for t, c in sorted(per_type.items())}
    return {"records": len(records), "precision": precision, "recall": recall, "f1": f1, "top1_accuracy": tp / max(1, len(records)),
            "gold_type_among_predicted": anywhere / max(1, len(records)), "source_code_accuracy": source_hits / max(1, source_n),
            "target_code_accuracy": target_hits / max(1, target_n), "source_n": source_n, "target_n": target_n, "per_type": table}


def format_report(result: dict) -> str:
    lines = [
        f"PLOVER event coding, {result['records']} records",
        f"event type (main event): P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f}; top-1 accuracy {result['top1_accuracy']:.3f}; "
        f"gold type among predicted {result['gold_type_among_predicted']:.3f}",
        f"source code accuracy {result['source_code_accuracy']:.3f} ({result['source_n']} records), target code accuracy {result['target_code_accuracy']:.3f} ({result['target_n']} records)",
        f"{'type':14} {'gold':>5}  {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for name, row in result["per_type"].items():
        lines.append(f"{name:14} {row['gold']:5d}  {row['p']:.3f} {row['r']:.3f} {row['f1']:.3f}")
    return "\n".join(lines)


# ---- articles annotated for every event (bench/data/events-train, bench/data/events-heldout) ----

def nth_find(text: str, part: str, occurrence: int = 0) -> int:
    """Where the ``occurrence``-th (0-based) copy of ``part`` starts in ``text``, or -1."""
    at, start = -1, 0
    for _ in range(occurrence + 1):
        at = text.find(part, start)
        if at < 0:
            return -1
        start = at + 1
    return at


def read_exhaustive(folder: Path) -> list[tuple[Path, list[tuple[tuple[int, int], set[str]]]]]:
    """Each annotated article (NN.txt with NN.events.json) with its gold events: (sentence span, CAMEO roots)."""
    found = []
    for annotation in sorted(Path(folder).glob("*.events.json")):
        text_path = annotation.with_name(annotation.name[: -len(".events.json")] + ".txt")
        text = text_path.read_text(encoding="utf-8")
        gold = []
        for event in json.loads(annotation.read_text(encoding="utf-8"))["events"]:
            at = nth_find(text, event["sentence"], event.get("sentence_occurrence", 0))
            if at < 0:
                raise ValueError(f"{annotation}: sentence not in the text: {event['sentence'][:60]!r}")
            roots = {str(event["cameo_root"]).zfill(2)} | {str(r).zfill(2) for r in event.get("cameo_root_alt", [])}
            gold.append(((at, at + len(event["sentence"])), roots))
        found.append((text_path, gold))
    return found


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def score_exhaustive(items, analyses) -> dict:
    """Event precision and recall as realnews-dev2's score.py counts them: a predicted event is right when a gold event
    with its CAMEO root (or an alternative) lies in an overlapping sentence; a gold event is found by one such
    prediction, each prediction finding one gold event."""
    predicted = right = found = total = 0
    by_root: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_path, gold), analysis in zip(items, analyses):  # an input that failed (no analysis) predicts nothing
        spans = {s.index: (s.start, s.end) for s in getattr(analysis, "sentences", [])}
        events = [(spans.get(e.sentence), e.cameo_code[:2]) for e in getattr(analysis, "events", [])]
        events = [(span, root) for span, root in events if span is not None]
        predicted += len(events)
        right += sum(any(overlaps(span, g) and root in roots for g, roots in gold) for span, root in events)
        used: set[int] = set()
        for g, roots in gold:
            total += 1
            hit = next((k for k, (span, root) in enumerate(events) if k not in used and overlaps(span, g) and root in roots), None)
            first = sorted(roots)[0]
            by_root[first][1] += 1
            if hit is not None:
                used.add(hit)
                found += 1
                by_root[first][0] += 1
    precision = right / predicted if predicted else 0.0
    recall = found / total if total else 0.0
    return {"articles": len(items), "predicted": predicted, "gold": total, "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "recall_by_root": {root: round(hit / n, 3) for root, (hit, n) in sorted(by_root.items())}}


def format_exhaustive(result: dict) -> str:
    return (f"{result['articles']} articles annotated for every event: precision {result['precision']:.3f} ({result['predicted']} predicted), "
            f"recall {result['recall']:.3f} ({result['gold']} gold), F1 {result['f1']:.3f}\n"
            "recall by gold root: " + ", ".join(f"{root} {value:.2f}" for root, value in result["recall_by_root"].items()))
