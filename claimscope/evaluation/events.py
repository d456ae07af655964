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
