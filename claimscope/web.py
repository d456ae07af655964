"""Local web UI and REST API over a store (FastAPI). Pages are server-rendered with Jinja2
autoescaping and a Content-Security-Policy that forbids scripts: an analysed page can never
run code in the UI."""
from __future__ import annotations

import html
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import __version__
from .records import Analysis
from .render import CSS, article_section
from .store import Store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"


def timeline_svg(points: list[dict]) -> str:
    """Claims per month as an inline SVG bar chart (no JavaScript)."""
    months = Counter()
    for point in points:
        if point["date"]:
            months[point["date"].strftime("%Y-%m")] += point["claims"]
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


def create_app(store: Store) -> FastAPI:
    app = FastAPI(title="claimscope", version=__version__, description="Claims, speakers, hedges, techniques and events from news articles.")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def page(request: Request, name: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, name, {"css": CSS, **context})

    # ---- REST API ----

    @app.get("/api/articles", tags=["api"])
    def api_articles(limit: int = Query(50, le=500), offset: int = 0) -> list[dict]:
        return store.list_articles(limit, offset)

    @app.get("/api/articles/{article_id}", tags=["api"], response_model=Analysis)
    def api_article(article_id: int):
        row = store.article(article_id)
        if row is None:
            raise HTTPException(404, "no such article")
        return row["analysis"]

    @app.get("/api/claims", tags=["api"])
    def api_claims(speaker: Optional[str] = None, cue_class: Optional[str] = None, risk: Optional[bool] = None,
                   outlet: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
                   q: Optional[str] = None, limit: int = Query(200, le=1000), offset: int = 0) -> list[dict]:
        return store.ledger(speaker, cue_class, risk, outlet, since, until, q, limit, offset)

    @app.get("/api/clusters", tags=["api"])
    def api_clusters(limit: int = Query(100, le=1000)) -> list[dict]:
        return store.cluster_summaries(limit)

    @app.get("/api/actors/{speaker}/timeline", tags=["api"])
    def api_timeline(speaker: str) -> list[dict]:
        return store.actor_timeline(speaker)

    @app.get("/api/search", tags=["api"])
    def api_search(q: str) -> dict:
        return {"articles": store.search_articles(q), "claims": store.ledger(query=q, limit=100)}

    # ---- pages ----

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        return page(request, "index.html", counts=store.counts(), articles=store.list_articles(50), speakers=store.speakers(20))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int):
        row = store.article(article_id)
        if row is None:
            raise HTTPException(404, "no such article")
        return page(request, "article.html", row=row, section=article_section(Analysis.model_validate(row["analysis"])))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def ledger_page(request: Request, speaker: Optional[str] = None, cue_class: Optional[str] = None, risk: Optional[str] = None,
                    outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None, q: Optional[str] = None):
        flag = {"yes": True, "no": False}.get(risk or "")
        rows = store.ledger(speaker or None, cue_class or None, flag, outlet or None,
                            date.fromisoformat(since) if since else None, date.fromisoformat(until) if until else None, q or None)
        filters = {"speaker": speaker or "", "cue_class": cue_class or "", "risk": risk or "", "outlet": outlet or "",
                   "since": since or "", "until": until or "", "q": q or ""}
        return page(request, "ledger.html", rows=rows, filters=filters, speakers=store.speakers(200))

    @app.get("/actors/{speaker}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, speaker: str):
        return page(request, "actor.html", speaker=speaker, chart=timeline_svg(store.actor_timeline(speaker)),
                    rows=store.ledger(speaker=speaker, limit=500))

    @app.get("/clusters", response_class=HTMLResponse, include_in_schema=False)
    def clusters_page(request: Request):
        return page(request, "clusters.html", clusters=store.cluster_summaries())

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = ""):
        results = {"articles": store.search_articles(q), "claims": store.ledger(query=q, limit=100)} if q else {"articles": [], "claims": []}
        return page(request, "search.html", q=q, results=results)

    return app
