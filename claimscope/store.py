"""The store: analysed articles, their claims and claim clusters in SQLite (default) or
PostgreSQL (a SQLAlchemy URL), with the same schema.

Each article is written in its own transaction, keyed by the hash of its text, so re-running
an ingest is idempotent and an interrupted run resumes where it stopped. Near-duplicate
reprints are linked by a 64-bit SimHash of word 3-shingles (Charikar 2002; Manku et al. 2007).
SQLite gets FTS5 full-text search; PostgreSQL uses its own text search.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text, bindparam,
    create_engine, event, func, insert, select, text, update,
)
from sqlalchemy.engine import Engine

from .records import Analysis, InputError

SIMHASH_DISTANCE = 3
metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), unique=True, nullable=False),
    Column("simhash", BigInteger, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id"), nullable=True),
    Column("input", Text, nullable=False),
    Column("url", Text), Column("title", Text), Column("source", Text), Column("site", Text),
    Column("published", Date, index=True),
    Column("text", Text, nullable=False),
    Column("language", String(8)),
    Column("outlet_risk", String(16), index=True),
    Column("outlet_rating", Text),
    Column("verdict", Text),
    Column("analysis", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)
claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("claim_key", String(16), nullable=False),
    Column("speaker", Text), Column("speaker_resolved", Text, index=True), Column("actor_id", String(64)),
    Column("actor_risk", String(16)), Column("cue", Text), Column("cue_class", String(32), index=True),
    Column("kind", String(32)), Column("content", Text, nullable=False), Column("hedges", Text),
    Column("risk_flag", Boolean, nullable=False), Column("checkworthiness", Float),
    Column("published", Date, index=True), Column("outlet", Text, index=True),
    Column("outlet_risk", String(16), index=True),
    Column("via", Text),
    Column("vector", LargeBinary),  # float32 little-endian: the claim's content embedded by the English encoder (MiniLM)
    Column("vector_xl", LargeBinary),  # float32: the multilingual embedding (claimscope.multilingual), made when the store holds several languages
    Column("language", String(8)),
    Column("cluster_id", Integer, ForeignKey("clusters.id"), nullable=True, index=True),
)
clusters = Table(
    "clusters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", Text, nullable=False),
    Column("speaker", Text),
    Column("centroid", JSON, nullable=False),
    Column("size", Integer, nullable=False),
    Column("space", String(16)),  # the vector space of the centroid: "english" (MiniLM) or "multilingual" (e5)
    Column("languages", JSON),
)


def _vector_bytes(vector) -> Optional[bytes]:
    import numpy as np

    return None if vector is None else np.asarray(vector, dtype="<f4").tobytes()


def content_hash(text_: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text_.strip()).encode("utf-8")).hexdigest()


def simhash(text_: str) -> int:
    """64-bit SimHash over word 3-shingles, as a signed integer (fits BIGINT)."""
    words = re.findall(r"\w+", text_.lower())
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    weights = [0] * 64
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    unsigned = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    return bin((a ^ b) & ((1 << 64) - 1)).count("1")


class StoreError(RuntimeError):
    """A database that cannot be opened or created, named with the reason."""


def _redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class Store:
    def __init__(self, url: str, create: bool = True):
        """Open a store; with ``create=False`` a database that does not exist yet is refused (StoreError)."""
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError

        shown = url
        if "://" not in url:
            path = Path(url)
            if path.is_dir():
                raise StoreError(f"database {url}: is a folder, not a SQLite file")
            if not path.parent.exists():
                raise StoreError(f"database {url}: folder {path.parent} does not exist")
            if not create and not path.exists():
                raise StoreError(f"database {url} does not exist (create it with: claimscope ingest INPUTS --db {url})")
            url = f"sqlite:///{url}"
        else:
            shown = _redact(url)
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise StoreError(f"database {shown}: not a usable SQLAlchemy URL ({exc})") from None
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            event.listen(self.engine, "connect", lambda conn, _record: conn.execute("PRAGMA foreign_keys=ON"))
        try:
            if not create and not self.sqlite:
                with self.engine.connect() as conn:
                    if not self.engine.dialect.has_table(conn, "articles"):
                        raise StoreError(f"database {shown} holds no claimscope store (create one with: claimscope ingest INPUTS --db URL)")
            metadata.create_all(self.engine)
            self._add_missing_columns()
            if self.sqlite:
                with self.engine.begin() as conn:
                    conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(content, speaker, tokenize='porter')"))
                    conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, tokenize='porter')"))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"database {shown}: cannot open ({reason})") from None

    def _add_missing_columns(self) -> None:
        """Stores made by an earlier version lack the nullable columns added since: add them (ALTER TABLE ADD COLUMN)."""
        from sqlalchemy import inspect

        inspector = inspect(self.engine)
        with self.engine.begin() as conn:
            for table in metadata.sorted_tables:
                present = {c["name"] for c in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in present and column.nullable:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))

    # ---- writing ----

    def has(self, text_: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.content_hash == content_hash(text_))).first() is not None

    def find_near_duplicate(self, signature: int) -> Optional[int]:
        with self.engine.connect() as conn:
            for article_id, other in conn.execute(select(articles.c.id, articles.c.simhash).where(articles.c.duplicate_of.is_(None))):
                if hamming(signature, other) <= SIMHASH_DISTANCE:
                    return article_id
        return None

    def add(self, analysis: Analysis, vectors: Optional[list] = None) -> tuple[int, bool, Optional[int]]:
        """Store one analysis; returns (article id, newly added?, id of the article it reprints). ``vectors``:
        one English embedding per claim (multilingual.claim_vectors), kept for clustering."""
        article = analysis.article
        digest = content_hash(article.text)
        with self.engine.begin() as conn:
            existing = conn.execute(select(articles.c.id).where(articles.c.content_hash == digest)).first()
            if existing:
                return existing[0], False, None
        signature = simhash(article.text)
        original = self.find_near_duplicate(signature)
        published = article.published or analysis.published_inferred
        rating = analysis.outlet
        outlet = article.source or article.site or (rating.label if rating else None)
        with self.engine.begin() as conn:
            article_id = conn.execute(
                insert(articles).values(
                    content_hash=digest, simhash=signature, duplicate_of=original, input=article.id, url=article.url,
                    title=article.title, source=outlet, site=article.site, published=published, text=article.text,
                    language=analysis.language, outlet_risk=rating.risk if rating else "unknown",
                    outlet_rating=rating.description if rating else None,
                    verdict=analysis.verdict.sentence if analysis.verdict else None,
                    analysis=json.loads(analysis.model_dump_json()), ingested_at=datetime.now(timezone.utc),
                )
            ).inserted_primary_key[0]
            rows = [
                {
                    "article_id": article_id, "claim_key": c.id, "speaker": c.speaker.text if c.speaker else None,
                    "speaker_resolved": c.speaker_resolved, "actor_id": c.actor.id if c.actor else None,
                    "actor_risk": c.actor.risk if c.actor else None, "cue": c.cue.text if c.cue else None,
                    "cue_class": c.cue_class, "kind": c.kind, "content": c.content.text, "hedges": ", ".join(c.hedges),
                    "risk_flag": c.risk_flag, "checkworthiness": c.checkworthiness, "published": published, "outlet": outlet,
                    "outlet_risk": rating.risk if rating else "unknown", "via": ", ".join(c.via) or None, "language": analysis.language,
                    "vector": _vector_bytes(vectors[k]) if vectors is not None and k < len(vectors) else None,
                }
                for k, c in enumerate(analysis.claims)
            ]
            if rows:
                ids = [conn.execute(insert(claims).values(**row)).inserted_primary_key[0] for row in rows]
                if self.sqlite:
                    for claim_id, row in zip(ids, rows):
                        conn.execute(text("INSERT INTO claims_fts(rowid, content, speaker) VALUES (:i, :c, :s)"),
                                     {"i": claim_id, "c": row["content"], "s": row["speaker_resolved"] or ""})
            if self.sqlite:
                conn.execute(text("INSERT INTO articles_fts(rowid, title, text) VALUES (:i, :t, :x)"),
                             {"i": article_id, "t": article.title or "", "x": article.text})
        return article_id, True, original

    # ---- clustering ----

    def cluster_claims(self, threshold: Optional[float] = None, other_speaker_threshold: Optional[float] = None, method: str = "ann") -> int:
        """Give every unclustered claim a cluster, in publication order (claimscope.clustering: the nearest
        centroid within cosine `threshold` when the speakers agree, within `other_speaker_threshold` when
        they do not, else a new cluster). Returns the number of claims assigned.

        A store of English articles clusters in the English encoder's space (MiniLM over each claim's
        content, embedded here for the claims that lack one, or on the workers in batch mode); once it holds another language, every claim is clustered in the multilingual
        space (claimscope.multilingual), so that an original and its translated relays meet; the first
        claim in another language re-clusters the store in that space."""
        import numpy as np

        from .clustering import Clusters, assign
        from .multilingual import SPACES

        with self.engine.connect() as conn:
            languages = {row[0] or "en" for row in conn.execute(select(articles.c.language).distinct())}
            spaces = {row[0] for row in conn.execute(select(clusters.c.space).distinct())}
        space = SPACES["english" if languages <= {"en"} else "multilingual"]
        if spaces - {space.name, None} or (None in spaces and space.name != "english"):
            with self.engine.begin() as conn:  # the store changed space: cluster everything again
                conn.execute(update(claims).values(cluster_id=None))
                conn.execute(clusters.delete())
        column = claims.c.vector if space.name == "english" else claims.c.vector_xl
        with self.engine.connect() as conn:
            pending = conn.execute(select(claims.c.id, claims.c.content, claims.c.speaker_resolved, column.label("vector"),
                                          func.coalesce(claims.c.language, articles.c.language).label("language"))
                                   .join(articles, claims.c.article_id == articles.c.id)
                                   .where(claims.c.cluster_id.is_(None)).order_by(claims.c.published, claims.c.id)).all()
            existing = conn.execute(select(clusters.c.id, clusters.c.speaker, clusters.c.centroid, clusters.c.size, clusters.c.languages)
                                    .order_by(clusters.c.id)).all()
        if not pending:
            return 0
        known = Clusters(ids=[row.id for row in existing], speakers=[row.speaker for row in existing],
                         means=[np.asarray(row.centroid, dtype=float) for row in existing], sizes=[row.size for row in existing],
                         languages=[set(row.languages or []) for row in existing])
        missing = [k for k, row in enumerate(pending) if not row.vector]
        vectors = np.zeros((len(pending), space.dimension), dtype=np.float32)
        for k, row in enumerate(pending):
            if row.vector:
                vectors[k] = np.frombuffer(row.vector, dtype="<f4")  # computed on a batch worker, or by an earlier clustering
        if missing:
            vectors[missing] = space.embed([pending[k].content for k in missing])
        positions, touched = assign(vectors, [row.speaker_resolved for row in pending], [row.content for row in pending], known,
                                    threshold=threshold if threshold is not None else space.threshold,
                                    other_speaker_threshold=other_speaker_threshold if other_speaker_threshold is not None else space.other_speaker_threshold,
                                    method=method, languages=[row.language or "en" for row in pending], cross_lingual_allowance=space.cross_lingual_allowance)
        with self.engine.begin() as conn:
            for k in sorted(touched):
                values = dict(centroid=known.means[k].tolist(), size=known.sizes[k], languages=sorted(known.languages[k]), space=space.name)
                if known.ids[k] is None:
                    known.ids[k] = conn.execute(insert(clusters).values(label=known.labels[k], speaker=known.speakers[k], **values)).inserted_primary_key[0]
                else:
                    conn.execute(update(clusters).where(clusters.c.id == known.ids[k]).values(**values))
            rows = [{"claim": row.id, "cluster": known.ids[k]} for row, k in zip(pending, positions)]
            conn.execute(update(claims).where(claims.c.id == bindparam("claim")).values(cluster_id=bindparam("cluster")), rows)
            if missing:
                conn.execute(update(claims).where(claims.c.id == bindparam("claim")).values({column.name: bindparam("vec")}),
                             [{"claim": pending[k].id, "vec": _vector_bytes(vectors[k])} for k in missing])
        return len(positions)

    # ---- reading ----

    def article(self, article_id: int) -> Optional[dict]:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return dict(row) if row else None

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        columns = [articles.c.id, articles.c.input, articles.c.title, articles.c.url, articles.c.source, articles.c.published, articles.c.duplicate_of,
                   articles.c.verdict, articles.c.outlet_risk, articles.c.outlet_rating, articles.c.language]
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(*columns).order_by(articles.c.published.desc().nulls_last(), articles.c.id).limit(limit).offset(offset)).mappings()]

    def ledger(self, speaker: Optional[str] = None, cue_class: Optional[str] = None, risk: Optional[bool] = None,
               outlet: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
               query: Optional[str] = None, limit: int = 200, offset: int = 0, outlet_risk: Optional[str] = None) -> list[dict]:
        """Claims with filters; `query` is full-text over claim content and speaker; `outlet_risk` is the outlet's rating."""
        statement = select(*[c for c in claims.c if c.name != "vector"], articles.c.title, articles.c.url, articles.c.outlet_rating).join(articles, claims.c.article_id == articles.c.id)
        if speaker:
            statement = statement.where(claims.c.speaker_resolved == speaker)
        if cue_class:
            statement = statement.where(claims.c.cue_class == cue_class)
        if risk is not None:
            statement = statement.where(claims.c.risk_flag.is_(risk))
        if outlet:
            statement = statement.where(claims.c.outlet == outlet)
        if outlet_risk:
            statement = statement.where(claims.c.outlet_risk == outlet_risk)
        if since:
            statement = statement.where(claims.c.published >= since)
        if until:
            statement = statement.where(claims.c.published <= until)
        if query:
            if self.sqlite:
                ids = select(text("rowid")).select_from(text("claims_fts")).where(text("claims_fts MATCH :q"))
                statement = statement.where(claims.c.id.in_(ids)).params(q=_fts_query(query))
            else:
                statement = statement.where(func.to_tsvector("english", claims.c.content).op("@@")(func.plainto_tsquery("english", query)))
        statement = statement.order_by(claims.c.published.desc().nulls_last(), claims.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(statement).mappings()]

    def search_articles(self, query: str, limit: int = 50) -> list[dict]:
        columns = [articles.c.id, articles.c.title, articles.c.source, articles.c.published]
        if self.sqlite:
            ids = select(text("rowid")).select_from(text("articles_fts")).where(text("articles_fts MATCH :q"))
            statement = select(*columns).where(articles.c.id.in_(ids)).params(q=_fts_query(query))
        else:
            document = func.to_tsvector("english", func.coalesce(articles.c.title, "") + " " + articles.c.text)
            statement = select(*columns).where(document.op("@@")(func.plainto_tsquery("english", query)))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(statement.limit(limit)).mappings()]

    def cluster_summaries(self, limit: int = 100) -> list[dict]:
        """Per cluster: first seen, outlets, speakers, and independent corroboration: the number of outlets
        that carry the claim from a speaker who is not a high-risk source, reprints not counted."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(claims.c.cluster_id, claims.c.published, claims.c.outlet, claims.c.speaker_resolved, claims.c.actor_risk,
                       articles.c.duplicate_of, clusters.c.label, func.coalesce(claims.c.language, articles.c.language).label("language"))
                .join(articles, claims.c.article_id == articles.c.id).join(clusters, claims.c.cluster_id == clusters.c.id)
            ).all()
        summary: dict[int, dict] = {}
        for row in rows:
            entry = summary.setdefault(row.cluster_id, {"cluster_id": row.cluster_id, "label": row.label, "first_seen": None,
                                                         "claims": 0, "outlets": set(), "speakers": set(), "independent": set(),
                                                         "first_seen_by": {}})
            entry["claims"] += 1
            if row.published and (entry["first_seen"] is None or row.published < entry["first_seen"]):
                entry["first_seen"] = row.published
            if row.published:  # first appearance per language and outlet: where the claim started and how it travelled
                key = f"{row.language or 'en'} / {row.outlet or 'unknown outlet'}"
                if key not in entry["first_seen_by"] or row.published < entry["first_seen_by"][key]:
                    entry["first_seen_by"][key] = row.published
            if row.outlet:
                entry["outlets"].add(row.outlet)
                if row.duplicate_of is None and row.actor_risk != "high":
                    entry["independent"].add(row.outlet)
            if row.speaker_resolved:
                entry["speakers"].add(row.speaker_resolved)
        result = sorted(summary.values(), key=lambda e: (-len(e["outlets"]), -e["claims"]))[:limit]
        for entry in result:
            entry["outlets"] = sorted(entry["outlets"])
            entry["speakers"] = sorted(entry["speakers"])
            entry["independent_corroboration"] = len(entry.pop("independent"))
            entry["first_seen_by"] = [{"where": key, "first_seen": day} for key, day in sorted(entry["first_seen_by"].items(), key=lambda item: item[1])]
        return result

    def actor_timeline(self, speaker: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(claims.c.published, func.count()).where(claims.c.speaker_resolved == speaker)
                                .group_by(claims.c.published).order_by(claims.c.published)).all()
        return [{"date": r[0], "claims": r[1]} for r in rows]

    def speakers(self, limit: int = 100) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(claims.c.speaker_resolved, func.count()).where(claims.c.speaker_resolved.is_not(None))
                                .group_by(claims.c.speaker_resolved).order_by(func.count().desc()).limit(limit)).all()
        return [{"speaker": r[0], "claims": r[1]} for r in rows]

    def iter_rows(self, table: str, columns: list[str], batch_size: int = 2000):
        """Lists of rows (dicts) of one table in id order, ``batch_size`` at a time (keyset paging)."""
        source = metadata.tables[table]
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(select(*[source.c[c] for c in dict.fromkeys(["id", *columns])])
                                                      .where(source.c.id > last).order_by(source.c.id).limit(batch_size)).mappings()]
            if not rows:
                return
            last = rows[-1]["id"]
            yield [{c: r[c] for c in columns} for r in rows]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
                "duplicates": conn.execute(select(func.count()).select_from(articles).where(articles.c.duplicate_of.is_not(None))).scalar_one(),
                "claims": conn.execute(select(func.count()).select_from(claims)).scalar_one(),
                "clusters": conn.execute(select(func.count()).select_from(clusters)).scalar_one(),
            }


def _fts_query(query: str) -> str:
    """User text as an FTS5 query of quoted terms (no operator injection)."""
    terms = re.findall(r"\w+", query)
    return " ".join(f'"{t}"' for t in terms) or '""'


def ingest_items(store: Store, analyzer, paths: list[str], *, max_bytes: int, source: Optional[str] = None, console=None):
    """Analyse and store every input not stored yet, with a progress bar over the articles; returns (stats, errors)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .ingest import count_articles, read_inputs

    stats = {"added": 0, "already stored": 0, "near duplicates": 0}
    errors: list[InputError] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=console is None) as progress:
        task = progress.add_task("ingesting", total=count_articles(paths))
        fresh = unstored(read_inputs(paths, max_bytes=max_bytes), store, stats, source, skipped=lambda: progress.advance(task))
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
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        errors.append(InputError(input=analysis.article.id, reason=f"not stored: {type(exc).__name__}: {exc}"))
        return
    stats["added"] += int(added)
    stats["already stored"] += int(not added)
    stats["near duplicates"] += int(added and original is not None)
