"""Output formats for analyses: JSON (schema-versioned), a terminal report (rich), and a
self-contained annotated HTML page."""
from __future__ import annotations

import functools
import html
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..resources.lexicons import rows
from ..records import Analysis, InputError


RISK_MARKS = {"high": ("\u25b2", "red"), "medium": ("\u25b3", "yellow")}  # a source's risk as a short marker (legend below the table)
CUE_LABELS = {"neutral": "", "distancing": "distancing", "warning": "warning", "announcement": "announce", "denial": "denial",
              "accusation": "accuse", "assessment": "assess", "appeal": "appeal"}
KIND_LABELS = {"direct": "quote", "indirect": "", "mixed": "part quote", "according_to": "", "parenthetical": "aside",
               "quoted_phrase": "quoted phrase", "nominal": "noun", "nested": "nested", "outlet_voice": "outlet"}


def speaker_label(claim) -> str:
    """'Alexander Lukashenko', 'Lukashenko via BelTA', 'a senior official (unnamed)': who the claim rests on, in one line."""
    if claim.speaker_resolved:
        who = claim.speaker_resolved
    elif claim.speaker is not None:
        who = claim.speaker.text + " (unresolved)"
    else:
        who = "(no source in the text)"
    if claim.speaker_status == "unnamed":
        who += " (unnamed)"
    elif claim.speaker_status == "implicit":
        who += " (implicit)"
    return who + (" via " + ", ".join(claim.via) if claim.via else "")


def _short(text: str, limit: int = 90) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "\u2026"


def _risk_mark(actor) -> str:
    mark = RISK_MARKS.get(actor.risk) if actor is not None else None
    return f" [{mark[1]}]{mark[0]}[/{mark[1]}]" if mark else ""


def _longest_word(lines) -> int:
    return max((len(word) for line in lines for word in line.split()), default=1)


def _claims_table(analysis: Analysis, width: int, wide: bool) -> Table:
    """Who says what, a row per claim: speaker (risk marker), cue (its class), content (cut unless ``wide``), the
    outlet's doubt and the speaker's own hedges, and a flag for claims resting only on high-risk sources."""
    from rich.markup import escape

    rows = []
    for claim in analysis.claims:
        cue = claim.cue.text if claim.cue else "quoted phrase"
        notes = [label for label in (CUE_LABELS.get(claim.cue_class, claim.cue_class.replace("_", " ")), KIND_LABELS.get(claim.kind, claim.kind.replace("_", " ")),
                                     "headline" if claim.headline else "", "conditional" if claim.conditional else "") if label]
        doubt = ", ".join(claim.hedges + claim.scare_quotes)
        if claim.speaker_hedges:
            doubt += ("; " if doubt else "") + "speaker: " + ", ".join(claim.speaker_hedges)
        rows.append((claim.id, escape(speaker_label(claim)) + _risk_mark(claim.actor), escape(cue) + (f" [dim]({', '.join(notes)})[/dim]" if notes else ""),
                     claim.content.text, escape(doubt), "[red]\u2691[/red]" if claim.risk_flag else ""))
    fixed = {"#": max((len(r[0]) for r in rows), default=2), "flag": 2}
    plain = [[Text.from_markup(cell).plain for cell in row] for row in rows]
    speaker_width = max(_longest_word(r[1] for r in plain), min(max((len(r[1]) for r in plain), default=8), width * 2 // 9))  # one line where it fits
    cue_width = max(_longest_word(r[2] for r in plain), min(max((len(r[2]) for r in plain), default=8), width // 7))
    doubt_width = max(5, _longest_word(r[4] for r in plain), min(max((len(r[4]) for r in plain), default=5), width // 8))
    content_width = max(20, width - sum(fixed.values()) - speaker_width - cue_width - doubt_width - 19)
    table = Table(title="Claims (who says what)", show_lines=True, padding=(0, 1))
    table.add_column("#", no_wrap=True, width=fixed["#"])
    table.add_column("speaker", width=speaker_width, overflow="fold")
    table.add_column("cue", width=cue_width, overflow="fold")
    table.add_column("content", width=content_width, overflow="fold")
    table.add_column("doubt", width=doubt_width, overflow="fold")
    table.add_column("\u2691", no_wrap=True, width=fixed["flag"], justify="center")
    limit = None if wide else max(60, 3 * content_width)
    for key, who, cue, content, doubt, flag in rows:
        table.add_row(key, who, cue, escape(content if limit is None else _short(content, limit)), doubt, flag)
    return table


def print_text(analysis: Analysis, console: Console, wide: bool = False) -> None:
    """A readable terminal report at the console's width (80 columns or more): verdict, claims, hedges, techniques,
    events, numbers. No word is broken across lines; long contents are cut with an ellipsis unless ``wide``."""
    from rich.markup import escape

    article = analysis.article
    width = console.width
    console.rule(f"[bold]{escape(_short(article.title or article.id, width - 8))}")
    published = article.published or analysis.published_inferred
    origin = "given" if article.published else "inferred from the text" if published else "unknown"
    console.print(f"[dim]{escape(article.id)} | published {published or '?'} ({origin}) | {len(analysis.sentences)} sentences | "
                  f"language {analysis.language or '?'}[/dim]")
    if analysis.outlet:
        console.print(f"Outlet: [bold]{escape(analysis.outlet.label)}[/bold]{_risk_mark(analysis.outlet)}: {escape(analysis.outlet.description)}")
    if analysis.verdict:
        console.print(f"\n[bold]Verdict:[/bold] {escape(analysis.verdict.sentence)}\n")
    if analysis.claims:
        console.print(_claims_table(analysis, width, wide))
        console.print(f"[dim][red]{RISK_MARKS['high'][0]}[/red] high-risk source  [yellow]{RISK_MARKS['medium'][0]}[/yellow] medium-risk source  "
                      f"[red]\u2691[/red] rests only on high-risk sources, uncorroborated in the text[/dim]")
    if analysis.hedges:
        console.print("[bold]Hedges and distancing:[/bold] " + "; ".join(f"{escape(h.text)} [dim]({h.kind.replace('_', ' ')})[/dim]" for h in analysis.hedges))
    outlet = [s for s in analysis.sentences if s.voice == "outlet" and s.hedged]
    if outlet:
        console.print(f"[bold]Outlet's own hedged sentences:[/bold] {len(outlet)}")
    if analysis.techniques:
        console.print("[bold]Persuasion techniques:[/bold] " + "; ".join(
            f"\u201c{escape(_short(t.text, 60))}\u201d {t.technique.replace('_', ' ')} [dim]({t.voice}, {t.confidence:.2f})[/dim]"
            for t in analysis.techniques))
    if analysis.events:
        console.print("[bold]Events:[/bold]")
        for event in analysis.events:
            who = f"{event.actor or '?'} {'not ' if event.negated else ''}{event.action}" + (f" \u2192 {_short(event.target, 50)}" if event.target else "")
            where = ", ".join(x for x in (event.place, event.date or (f"reported {event.reported}" if event.reported else None),
                                          ", ".join(event.instruments)) if x)
            source = f"claimed by {event.attributed_to or 'a speaker'}" if event.claim_id else "outlet"
            console.print(f"  {escape(who)}" + (f" [dim]({escape(where)})[/dim]" if where else "")
                          + f" [dim]CAMEO {event.cameo_code} {escape(event.cameo_label)}, {event.plover}, Goldstein {event.goldstein:+.1f}; {source}[/dim]")
    numbers = [f"{q.text} \u2248 {q.normalized_value:,.0f} {q.normalized_unit}" for q in analysis.quantities]
    numbers += [f"{d.text} \u2192 {d.value}" + (" (year inferred)" if d.inferred else "") for d in analysis.dates]
    if numbers:
        console.print("[bold]Quantities and dates:[/bold] " + escape("; ".join(numbers)))
    if analysis.weapons:
        names = sorted({f"{w.name} ({w.designation})" if w.designation else w.name for w in analysis.weapons})
        console.print("[bold]Weapon systems:[/bold] " + escape(", ".join(names)))


@functools.cache
def technique_explanations() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("techniques.tsv")}


CSS = """
body{font:16px/1.6 Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem} table{border-collapse:collapse;width:100%;font:13px/1.4 sans-serif;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top} th{background:#f3f3f3}
.article p{margin:.6rem 0} .verdict{background:#fff4e5;border-left:4px solid #e69500;padding:.6rem 1rem}
.content{background:#e8f0fe} .cue{font-weight:bold;color:#1a56c4} .speaker{border-bottom:2px solid #1a56c4}
.hedge{background:#fff3b0} .scare_quote{background:#ffe0b2} .distancing{background:#fde2e2}
.technique{text-decoration:underline wavy #c2185b} .speaker_hedge{border-bottom:1px dotted #888} .risk{color:#b00020;font-weight:bold}
.legend span{display:inline-block;margin:.2rem .6rem .2rem 0;padding:0 .3rem;font:13px sans-serif}
"""


def _segments(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """HTML for ``text`` with every span wrapped in a class; overlapping spans nest by splitting."""
    cuts = sorted({0, len(text), *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    parts = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [(cls, title) for s, e, cls, title in spans if s <= start and end <= e]
        chunk = html.escape(text[start:end]).replace("\n", "</p>\n<p>")
        if covering:
            classes = " ".join(sorted({c for c, _ in covering}))
            titles = html.escape(" | ".join(t for _, t in covering if t), quote=True)
            chunk = f'<span class="{classes}" title="{titles}">{chunk}</span>'
        parts.append(chunk)
    return "<p>" + "".join(parts) + "</p>"


def article_section(analysis: Analysis) -> str:
    """One analysed article as an HTML fragment: verdict, legend, highlighted text, claim and event tables.
    Every piece of article text is escaped."""
    explanations = technique_explanations()
    article = analysis.article
    spans: list[tuple[int, int, str, str]] = []
    for claim in analysis.claims:
        label = f"{claim.id}: {claim.speaker_resolved or '?'} ({claim.cue_class})"
        spans += [(start, end, "content", label) for start, end in claim.content_ranges()]
        if claim.cue:
            spans.append((claim.cue.start, claim.cue.end, "cue", f"cue of {claim.id}"))
        if claim.speaker:
            spans.append((claim.speaker.start, claim.speaker.end, "speaker", f"speaker of {claim.id}: {claim.speaker_resolved}"))
    for hedge in analysis.hedges:
        css = hedge.kind if hedge.kind in {"scare_quote", "distancing"} else "hedge" if hedge.owner == "outlet" else "speaker_hedge"
        spans.append((hedge.start, hedge.end, css, f"{hedge.kind.replace('_', ' ')} ({hedge.owner}'s)"))
    for technique in analysis.techniques:
        spans.append((technique.start, technique.end, "technique", f"{technique.technique} ({technique.confidence:.2f}): {explanations.get(technique.technique, '')}"))
    used = sorted({t.technique for t in analysis.techniques})
    claim_rows = "".join(
        f"<tr><td>{c.id}</td><td>{html.escape(speaker_label(c)).replace(chr(10), '<br>')}</td>"
        f"<td>{html.escape(c.cue.text if c.cue else 'quoted phrase')} ({c.cue_class})</td><td>{c.kind}</td>"
        f"<td>{html.escape(c.content.text)}</td><td>{html.escape(', '.join(c.hedges + c.scare_quotes))}"
        f"{'<br><small>speaker: ' + html.escape(', '.join(c.speaker_hedges)) + '</small>' if c.speaker_hedges else ''}</td>"
        f"<td>{'' if c.checkworthiness is None else f'{c.checkworthiness:.2f}'}</td>"
        f"<td class=\"{'risk' if c.risk_flag else ''}\">{'high-risk, uncorroborated' if c.risk_flag else c.corroboration}</td></tr>"
        for c in analysis.claims
    )
    event_rows = "".join(
        f"<tr><td>{html.escape(e.actor or '?')}</td><td>{'not ' if e.negated else ''}{html.escape(e.action)}</td><td>{html.escape(e.target or '')}</td>"
        f"<td>{html.escape(e.place or '')}</td><td>{html.escape(e.date or '')}</td><td>{html.escape(', '.join(e.instruments))}</td>"
        f"<td>{e.cameo_code} {html.escape(e.cameo_label)} / {e.plover}</td><td>{e.goldstein:+.1f}</td>"
        f"<td>{html.escape(f'{e.claim_id}: {e.attributed_to}' if e.claim_id else 'outlet')}</td></tr>"
        for e in analysis.events
    )
    legend = "".join(f'<span class="technique" title="{html.escape(explanations.get(t, ""))}">{html.escape(t)}: {html.escape(explanations.get(t, ""))}</span><br>' for t in used)
    verdict = html.escape(analysis.verdict.sentence) if analysis.verdict else ""
    return (
        f"<article><h1>{html.escape(article.title or article.id)}</h1>"
        f"<p class=\"meta\">{html.escape(article.id)} \u00b7 published {html.escape(str(article.published or analysis.published_inferred or '?'))}</p>"
        f"<div class=\"verdict\"><b>Verdict:</b> {verdict}</div>"
        + (f"<p class=\"outlet\"><b>Outlet:</b> {html.escape(analysis.outlet.label)}: {html.escape(analysis.outlet.description)}</p>" if analysis.outlet else "")
        + f"<div class=\"legend\"><span class=\"speaker\">speaker</span><span class=\"cue\">cue</span><span class=\"content\">reported content</span>"
        f"<span class=\"hedge\">hedge</span><span class=\"distancing\">distancing</span><span class=\"scare_quote\">scare quote</span>"
        f"<span class=\"technique\">persuasion technique</span><br>{legend}</div>"
        f"<div class=\"article\">{_segments(article.text, spans)}</div>"
        f"<h2>Claims</h2><table><tr><th>#</th><th>speaker</th><th>cue</th><th>kind</th><th>content</th><th>outlet's doubt</th><th>check-worthiness</th><th>risk</th></tr>{claim_rows}</table>"
        f"<h2>Events</h2><table><tr><th>actor</th><th>action</th><th>target</th><th>place</th><th>date</th><th>weapons</th><th>CAMEO / PLOVER</th><th>Goldstein</th><th>source</th></tr>{event_rows}</table>"
        "</article>"
    )


def to_html(analyses: Sequence[Analysis], errors: Sequence[InputError] = ()) -> str:
    """A self-contained page: each article with highlights and a legend, then claims, events, verdict."""
    body = [article_section(analysis) for analysis in analyses]
    failed = "".join(f"<li>{html.escape(e.input)}: {html.escape(e.reason)}</li>" for e in errors)
    if failed:
        body.append(f"<h2>Inputs that failed</h2><ul>{failed}</ul>")
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>claimscope report</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )
