"""Local web UI and REST API over a store (FastAPI). Pages are server-rendered with Jinja2
autoescaping and a Content-Security-Policy that forbids scripts: an analysed page can never
run code in the UI."""
from __future__ import annotations

import html
from collections import Counter
from datetime import date
from pathlib import Path as FilePath
from typing import Literal, Optional

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..records import Analysis
from ..cli.render import CSS, article_section
from ..store import Store
from ..store.rows import ArticleRow, ClaimRow, ClusterDetail, ClusterSummary, SearchResult, TimelinePoint

TEMPLATES = Jinja2Templates(directory=str(FilePath(__file__).with_name("templates")))
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


def timeline_svg(points: list[TimelinePoint]) -> str:
    """Claims per month as an inline SVG bar chart (no JavaScript)."""
    months = Counter()
    for point in points:
        if point.date:
            months[point.date.strftime("%Y-%m")] += point.claims
    if not months:
        return "<p>No dated claims.</p>"
    keys = sorted(months)
    width, height, bar = max(300, 40 * len(keys)), 160, 30
    peak = max(months.values())
    bars = []
    for i, key in enumerate(keys):
        h = int(110 * months[key] / peak)
        x = 10 + 40 * i
        bars.append(f'<rect x="{x}" y="{130 - h}" width="{bar}" height="{h}" fill="#1a56c4"><title>{html.escape(key)}: {months[key]} claims</title></rect>'
                    f'<text x="{x}" y="145" font-size="9">{html.escape(key)}</text><text x="{x + 8}" y="{125 - h}" font-size="10">{months[key]}</text>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="claims per month" width="{width}" height="{height}">{"".join(bars)}</svg>'


PRESENTATION_COLOURS = {"attributed": "#1a56c4", "relayed": "#6a3fb5", "vague": "#c47a1a", "outlet_voice": "#c41a1a"}


def spread_svg(members: list) -> str:
    """A claim's appearances as an inline SVG timeline (no JavaScript): one row per outlet (with its language) in order
    of appearance, one dot per member at its day, coloured by how the member presents the claim."""
    dated = [m for m in members if m.published]
    if not dated:
        return "<p>No dated appearances.</p>"

    def row_of(member) -> str:
        return f"{member.outlet or 'unknown outlet'} ({member.language or 'en'})"

    rows = {row: k for k, row in enumerate(dict.fromkeys(map(row_of, dated)))}
    first, last = min(m.published for m in dated), max(m.published for m in dated)
    span = max(1, (last - first).days)
    left, width, step = 230, 420, 22
    height = 40 + step * len(rows)
    parts = [f'<text x="{left}" y="14" font-size="10">{html.escape(first.isoformat())}</text>',
             f'<text x="{left + width}" y="14" font-size="10" text-anchor="end">{html.escape(last.isoformat())}</text>']
    for row, k in rows.items():
        y = 30 + step * k
        parts.append(f'<text x="4" y="{y + 4}" font-size="11">{html.escape(row[:38])}</text>'
                     f'<line x1="{left}" y1="{y}" x2="{left + width}" y2="{y}" stroke="#ddd"/>')
    for m in dated:
        y = 30 + step * rows[row_of(m)]
        x = left + width * (m.published - first).days / span
        colour = PRESENTATION_COLOURS.get(m.presentation or "", "#555")
        parts.append(f'<circle cx="{x:.0f}" cy="{y}" r="6" fill="{colour}"><title>{html.escape(m.published.isoformat())}: '
                     f'{html.escape(m.presentation or "")}, {html.escape(m.speaker_resolved or "")}</title></circle>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="appearances by outlet and language" width="{left + width + 20}" '
            f'height="{height}">{"".join(parts)}</svg>')


MAX_ID = 2**63 - 1  # SQLite and PostgreSQL BIGINT
RISKS = ["high", "medium", "low", "unknown"]
ID = Path(ge=1, le=MAX_ID, description="Article id.")
LIMIT_HELP = "How many rows (1-1000)."


def _day(value: Optional[str], name: str) -> Optional[date]:
    """A YYYY-MM-DD query value for the HTML pages (the API validates its own), or a 422 naming the parameter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name} must be a date as YYYY-MM-DD, not {value[:40]!r}") from None


def create_app(store: Store) -> FastAPI:
    app = FastAPI(title="claimscope", version=__version__, description="Claims, speakers, hedges, techniques and events from news articles.",
                  docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        try:
            response = await call_next(request)
        except Exception:  # noqa: BLE001 - a bug must not drop the connection or leak a traceback
            response = PlainTextResponse("internal error", status_code=500)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(f"<!DOCTYPE html><title>{exc.status_code}</title><p>{html.escape(str(exc.detail))}</p>", status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": problems}, status_code=422)
        return HTMLResponse(f"<!DOCTYPE html><title>422</title><p>{html.escape(problems)}</p>", status_code=422)

    def page(request: Request, name: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, name, {"css": CSS, **context})

    # ---- REST API ----

    @app.get("/api/articles", tags=["api"])
    def api_articles(limit: int = Query(50, ge=1, le=500, description="How many rows (1-500)."), offset: int = Query(0, ge=0, le=MAX_ID)) -> list[ArticleRow]:
        return store.list_articles(limit, offset)

    @app.get("/api/articles/{article_id}", tags=["api"], response_model=Analysis)
    def api_article(article_id: int = ID):
        row = store.article(article_id)
        if row is None:
            raise HTTPException(404, "no such article")
        return row.analysis

    @app.get("/api/claims", tags=["api"])
    def api_claims(speaker: Optional[str] = Query(None, max_length=300), cue_class: Optional[str] = Query(None, max_length=40),
                   risk: Optional[bool] = None, outlet: Optional[str] = Query(None, max_length=300),
                   outlet_risk: Optional[Literal["high", "medium", "low", "unknown"]] = None,
                   since: Optional[date] = None, until: Optional[date] = None, q: Optional[str] = Query(None, min_length=1, max_length=500),
                   limit: int = Query(200, ge=1, le=1000, description=LIMIT_HELP), offset: int = Query(0, ge=0, le=MAX_ID)) -> list[ClaimRow]:
        return store.ledger(speaker, cue_class, risk, outlet, since, until, q, limit, offset, outlet_risk)

    @app.get("/api/clusters", tags=["api"])
    def api_clusters(limit: int = Query(100, ge=1, le=1000, description=LIMIT_HELP),
                     laundered: Optional[bool] = Query(None, description="Only clusters that were (true) or were not (false) laundered.")) -> list[ClusterSummary]:
        return store.cluster_summaries(limit, laundered)

    @app.get("/api/clusters/{cluster_id}", tags=["api"])
    def api_cluster(cluster_id: int = Path(ge=1, le=MAX_ID, description="Cluster id.")) -> ClusterDetail:
        found = store.cluster(cluster_id)
        if found is None:
            raise HTTPException(404, "no such cluster")
        return found

    @app.get("/api/actors/{speaker}/timeline", tags=["api"])
    def api_timeline(speaker: str = Path(max_length=300)) -> list[TimelinePoint]:
        return store.actor_timeline(speaker)

    @app.get("/api/search", tags=["api"])
    def api_search(q: str = Query(..., min_length=1, max_length=500, description="Words to find in articles and claims.")) -> SearchResult:
        return store.search(q)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        """The API reference, rendered on the server from the OpenAPI document (no scripts, nothing from a CDN)."""
        return page(request, "docs.html", spec=app.openapi())

    # ---- pages ----

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        return page(request, "index.html", counts=store.counts(), articles=store.list_articles(50), speakers=store.speakers(20))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int = ID):
        row = store.article(article_id)
        if row is None:
            raise HTTPException(404, "no such article")
        return page(request, "article.html", row=row, section=article_section(Analysis.model_validate(row.analysis)))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def ledger_page(request: Request, speaker: Optional[str] = Query(None, max_length=300), cue_class: Optional[str] = Query(None, max_length=40),
                    risk: Optional[str] = Query(None, max_length=10), outlet: Optional[str] = Query(None, max_length=300),
                    outlet_risk: Optional[str] = Query(None, max_length=10), since: Optional[str] = Query(None, max_length=40),
                    until: Optional[str] = Query(None, max_length=40), q: Optional[str] = Query(None, max_length=500)):
        flag = {"yes": True, "no": False}.get(risk or "")
        rated = outlet_risk if outlet_risk in RISKS else None
        rows = store.ledger(speaker or None, cue_class or None, flag, outlet or None, _day(since, "since"), _day(until, "until"), q or None,
                            outlet_risk=rated)
        filters = {"speaker": speaker or "", "cue_class": cue_class or "", "risk": risk or "", "outlet": outlet or "", "outlet_risk": rated or "",
                   "since": since or "", "until": until or "", "q": q or ""}
        return page(request, "ledger.html", rows=rows, filters=filters, speakers=store.speakers(200), risks=RISKS)

    @app.get("/actors/{speaker}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, speaker: str = Path(max_length=300)):
        return page(request, "actor.html", speaker=speaker, chart=timeline_svg(store.actor_timeline(speaker)),
                    rows=store.ledger(speaker=speaker, limit=500))

    @app.get("/clusters", response_class=HTMLResponse, include_in_schema=False)
    def clusters_page(request: Request, laundered: Optional[str] = Query(None, max_length=10)):
        only = {"yes": True, "no": False}.get(laundered or "")
        return page(request, "clusters.html", clusters=store.cluster_summaries(laundered=only), laundered=laundered or "")

    @app.get("/clusters/{cluster_id}", response_class=HTMLResponse, include_in_schema=False)
    def narrative_page(request: Request, cluster_id: int = Path(ge=1, le=MAX_ID)):
        found = store.cluster(cluster_id)
        if found is None:
            raise HTTPException(404, "no such cluster")
        return page(request, "narrative.html", cluster=found, chart=spread_svg(found.members), colours=PRESENTATION_COLOURS)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500)):
        results = store.search(q) if q.strip() else SearchResult(articles=[], claims=[])
        return page(request, "search.html", q=q, results=results)

    return app
