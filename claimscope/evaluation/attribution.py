"""PolNeAR attribution scoring (brat .ann) and brat writing of claimscope's predictions.

Span metrics follow PARC/PolNeAR practice (Pareti 2016; Newell et al. 2018): for each role
(Source, Cue, Content) precision, recall and F1 over spans, with *exact* matches (same
character offsets, whitespace-trimmed) and *token overlap* (soft) scoring, where a predicted
span earns the fraction of its tokens shared with its best gold span (precision) and a gold
span the fraction of its tokens covered (recall). A *full attribution* is correct when its cue
overlaps a gold cue and its source and content overlap that attribution's source and content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..records import Analysis, Article

ROLES = ("Source", "Cue", "Content")
WORD = re.compile(r"\w+")


@dataclass
class Attribution:
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # role -> spans (Cue may be discontinuous)


def read_brat(path: Path, text: str) -> list[Attribution]:
    """Attributions from a PolNeAR .ann: T lines are spans, E lines link Source/Cue/Content."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    attributions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not re.match(r"[TE]\d+\t", line):  # continuation of a span text that held a line break
            continue
        if line.startswith("T"):
            ident, info, *_ = line.split("\t")
            label, offsets = info.split(" ", 1)
            parts = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[ident] = (label, [_trim(text, s, e) for s, e in parts])
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            attribution = Attribution()
            for arg in args.split()[1:]:
                role, ref = arg.split(":")
                role = re.sub(r"\d+$", "", role)
                if role in ROLES and ref in spans:
                    attribution.spans.setdefault(role, []).extend(spans[ref][1])
            attributions.append(attribution)
    return attributions


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def from_analysis(analysis: Analysis) -> list[Attribution]:
    """Every attribution PolNeAR would annotate: claims, and the beliefs and nested attributions kept apart from them."""
    result = []
    for claim in analysis.claims + analysis.other_attributions:
        if claim.cue is None:
            continue
        spans = {"Cue": [(claim.cue.start, claim.cue.end)], "Content": claim.content_ranges()}
        if claim.speaker is not None:
            spans["Source"] = [(claim.speaker.start, claim.speaker.end)]
        result.append(Attribution(spans))
    return result


def write_brat(analysis: Analysis) -> str:
    """brat standoff with PolNeAR's labels: Source, Cue, Content, and an Attribution event."""
    lines, t = [], 0
    text = analysis.article.text
    for number, attribution in enumerate(from_analysis(analysis), start=1):
        refs = []
        for role in [r for r in ("Source", "Cue", "Content") if r in attribution.spans]:
            pieces = attribution.spans[role]  # a content interrupted by its frame is discontinuous, as in PolNeAR
            t += 1
            offsets = ";".join(f"{start} {end}" for start, end in pieces)
            lines.append(f"T{t}\t{role} {offsets}\t{' '.join(text[start:end] for start, end in pieces)}".replace("\n", " "))
            refs.append(f"{role}:T{t}")
        cue_start, cue_end = attribution.spans["Cue"][0]
        t += 1
        lines.append(f"T{t}\tAttribution {cue_start} {cue_end}\t{text[cue_start:cue_end]}")
        lines.append(f"E{number}\tAttribution:T{t} " + " ".join(refs))
    return "\n".join(lines) + ("\n" if lines else "")


def _tokens(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {m.start() for s, e in spans for m in WORD.finditer(text, s, e)}


@dataclass
class Counts:
    exact_tp_pred: float = 0
    exact_tp_gold: float = 0
    soft_p: float = 0
    soft_r: float = 0
    pred: int = 0
    gold: int = 0

    def scores(self) -> dict[str, float]:
        def f1(p, r):
            return 2 * p * r / (p + r) if p + r else 0.0

        ep = self.exact_tp_pred / self.pred if self.pred else 0.0
        er = self.exact_tp_gold / self.gold if self.gold else 0.0
        sp = self.soft_p / self.pred if self.pred else 0.0
        sr = self.soft_r / self.gold if self.gold else 0.0
        return {"exact_p": ep, "exact_r": er, "exact_f1": f1(ep, er), "overlap_p": sp, "overlap_r": sr, "overlap_f1": f1(sp, sr)}


def score_role(text: str, gold: list[list[tuple[int, int]]], pred: list[list[tuple[int, int]]], counts: Counts) -> None:
    gold_sets = [frozenset(_tokens(text, g)) for g in gold]
    pred_sets = [frozenset(_tokens(text, p)) for p in pred]
    gold_keys = {tuple(sorted(g)) for g in gold}
    pred_keys = {tuple(sorted(p)) for p in pred}
    counts.pred += len(pred)
    counts.gold += len(gold)
    counts.exact_tp_pred += sum(tuple(sorted(p)) in gold_keys for p in pred)
    counts.exact_tp_gold += sum(tuple(sorted(g)) in pred_keys for g in gold)
    for p in pred_sets:
        counts.soft_p += max((len(p & g) / len(p) for g in gold_sets if p), default=0.0)
    for g in gold_sets:
        counts.soft_r += max((len(g & p) / len(g) for p in pred_sets if g), default=0.0)


def _overlaps(text: str, a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return bool(_tokens(text, a) & _tokens(text, b))


def evaluate_polnear(folder: Path, pipeline, limit: Optional[int] = None) -> dict:
    """Score the pipeline on a PolNeAR split (folder with text/*.txt and attributions/*.ann)."""
    anns = sorted((Path(folder) / "attributions").glob("*.ann"))[: limit or None]
    if not anns:
        raise FileNotFoundError(f"no .ann files under {folder}/attributions")
    texts = {ann: (Path(folder) / "text" / f"{ann.stem.rsplit('_', 1)[0]}.txt").read_text(encoding="utf-8") for ann in anns}
    analyses = dict(zip(anns, pipeline.pipe(Article(id=ann.stem, text=texts[ann]) for ann in anns)))
    return score_articles((texts[ann], read_brat(ann, texts[ann]), from_analysis(analyses[ann])) for ann in anns)


def score_articles(articles: Iterable[tuple[str, list[Attribution], list[Attribution]]]) -> dict:
    """Span scores per role and full-attribution scores over (text, gold, predicted attributions) per article."""
    counts = {role: Counts() for role in ROLES}
    full_pred = full_gold = full_tp_pred = full_tp_gold = 0
    number = 0
    for number, (text, gold, pred) in enumerate(articles, start=1):
        for role in ROLES:
            score_role(text, [g.spans[role] for g in gold if role in g.spans], [p.spans[role] for p in pred if role in p.spans], counts[role])

        def match(a: Attribution, b: Attribution) -> bool:
            return all(role in b.spans and _overlaps(text, a.spans[role], b.spans[role]) for role in ROLES if role in a.spans)

        complete_gold = [g for g in gold if all(r in g.spans for r in ROLES)]
        full_gold += len(complete_gold)
        full_pred += len(pred)
        full_tp_pred += sum(any(match(p, g) for g in complete_gold) for p in pred)
        full_tp_gold += sum(any(match(p, g) for p in pred) for g in complete_gold)
    p = full_tp_pred / full_pred if full_pred else 0.0
    r = full_tp_gold / full_gold if full_gold else 0.0
    return {
        "articles": number,
        "roles": {role: counts[role].scores() | {"gold": counts[role].gold, "pred": counts[role].pred} for role in ROLES},
        "full": {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": full_gold, "pred": full_pred},
    }


def format_report(result: dict) -> str:
    lines = [f"PolNeAR attribution, {result['articles']} articles", f"{'role':8} {'gold':>6} {'pred':>6}  exact P/R/F1          overlap P/R/F1"]
    for role, s in result["roles"].items():
        lines.append(
            f"{role:8} {s['gold']:6d} {s['pred']:6d}  {s['exact_p']:.3f} {s['exact_r']:.3f} {s['exact_f1']:.3f}   "
            f"{s['overlap_p']:.3f} {s['overlap_r']:.3f} {s['overlap_f1']:.3f}"
        )
    f = result["full"]
    lines.append(f"full attribution (source+cue+content linked, token overlap): P {f['p']:.3f} R {f['r']:.3f} F1 {f['f1']:.3f} (gold {f['gold']}, pred {f['pred']})")
    return "\n".join(lines)
