"""The store: analysed articles, their claims and claim clusters in SQLite (default) or
PostgreSQL (a SQLAlchemy URL), with the same schema (claimscope.store.schema).

Each article is written in its own transaction, keyed by the hash of its text, so re-running
an ingest is idempotent and an interrupted run resumes where it stopped. Near-duplicate
reprints are linked by a 64-bit SimHash of word 3-shingles (Charikar 2002; Manku et al. 2007).
SQLite gets FTS5 full-text search; PostgreSQL uses its own text search.

Any number of processes may write one store at once. Every write is one transaction that only
one writer runs at a time where it matters: on SQLite (in WAL mode, so readers never wait)
each write transaction takes the database's write lock when it begins (``BEGIN IMMEDIATE``)
and waits for it up to a busy timeout; on PostgreSQL the clustering transaction holds a
transaction-level advisory lock, and a text stored by two writers at once is kept once (its
hash is unique). Clustering reads the unclustered claims and the clusters and writes the
assignments in that one locked transaction, so two writers never cluster the same claims; a
writer killed at any point leaves either the whole transaction or none of it. A lost
connection (a PostgreSQL restart) or a lock held too long is retried for a while, then
reported as a StoreError; a full disk is reported at once, and nothing of that write is kept.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional, TypeVar

from sqlalchemy import bindparam, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..records import Analysis
from .schema import articles, claims, clusters, metadata

SIMHASH_DISTANCE = 3
BUSY_TIMEOUT_S = 60  # how long a SQLite writer waits for another writer's transaction to end
RETRY_S = 60  # how long a write is retried after a lost connection or a lock held too long
CLUSTER_LOCK = 7_046_611  # PostgreSQL advisory lock key: one store's clustering at a time
TRANSIENT = ("database is locked", "connection refused", "connection failed", "could not connect", "server closed the connection", "terminating connection",
             "the database system is", "connection is closed", "consuming input failed", "connection not open", "ssl connection has been closed")
Result = TypeVar("Result")


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
    """A database that cannot be opened, created or written, named with the reason."""


def _redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _reason(exc: BaseException) -> str:
    """The database's own first line, without SQLAlchemy's statement dump."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def _sqlite_connected(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers see the last commit and never wait for a writer
    cursor.close()


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
        self.url, self.shown = url, shown
        try:
            sqlite = url.startswith("sqlite")
            options = {"connect_args": {"timeout": BUSY_TIMEOUT_S}} if sqlite else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(url, future=True, **options)
        except (ArgumentError, ImportError, ValueError, TypeError) as exc:
            raise StoreError(f"database {shown}: not a usable SQLAlchemy URL ({exc})") from None
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            event.listen(self.engine, "connect", _sqlite_connected)
        try:
            if not create and not self.sqlite:
                with self.engine.connect() as conn:
                    if not self.engine.dialect.has_table(conn, "articles"):
                        raise StoreError(f"database {shown} holds no claimscope store (create one with: claimscope ingest INPUTS --db URL)")
            self._retried(self._create_schema, write=True, lock=True, patience=0)  # no server at the start: say so at once
        except SQLAlchemyError as exc:
            raise StoreError(f"database {shown}: cannot open ({_reason(exc)})") from None
        except StoreError as exc:
            raise StoreError(f"database {shown}: cannot open ({str(exc).removeprefix(f'database {shown}: ')})") from None

    def _create_schema(self, conn: Connection) -> None:
        """The tables (and, on SQLite, the FTS5 indexes), in one locked transaction so that writers starting together
        do not both create them; stores made by an earlier version get the nullable columns added since."""
        from sqlalchemy import inspect

        metadata.create_all(conn)
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        if self.sqlite:
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(content, speaker, tokenize='porter')"))
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, tokenize='porter')"))

    # ---- transactions ----

    @contextmanager
    def _transaction(self, write: bool, lock: bool) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            if write and self.sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first write (no deadlock on upgrade)
            elif lock:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLUSTER_LOCK})
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only connection whose queries all see one committed state of the store (what ``check`` reads)."""
        with self.engine.connect() as conn:
            if self.sqlite:
                conn.exec_driver_sql("BEGIN")  # deferred: the first read fixes the snapshot until the end
            else:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                conn.begin()
            yield conn

    def write(self, work: Callable[[Connection], Result], lock: bool = False) -> Result:
        """Run ``work(conn)`` in one write transaction (``lock``: the store's clustering lock too, on PostgreSQL;
        on SQLite every write transaction is exclusive). Lost connections and locks held too long are retried
        for RETRY_S; then, or on a full disk, a StoreError says why, and nothing of the transaction is kept.
        An IntegrityError (a row another writer stored first) is the caller's to handle."""
        return self._retried(work, write=True, lock=lock)

    def read(self, work: Callable[[Connection], Result]) -> Result:
        """Run ``work(conn)`` in a read transaction, retried like a write when the connection is lost."""
        return self._retried(work, write=False, lock=False)

    def _retried(self, work: Callable[[Connection], Result], write: bool, lock: bool, patience: float = RETRY_S) -> Result:
        deadline, delay = time.monotonic() + patience, 0.2
        while True:
            try:
                with self._transaction(write, lock) as conn:
                    return work(conn)
            except IntegrityError:
                raise
            except DBAPIError as exc:
                reason = _reason(exc)
                if "disk is full" in reason or "no space left" in reason.lower():
                    raise StoreError(f"database {self.shown}: the disk is full, nothing of this write was kept ({reason})") from None
                transient = exc.connection_invalidated or any(marker in reason.lower() for marker in TRANSIENT)
                if not transient:
                    raise StoreError(f"database {self.shown}: {reason}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(f"database {self.shown}: {reason}" + (f" (still failing after {patience:.0f} s of retries)" if patience else "")) from None
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    # ---- writing ----

    def _stored_id(self, conn: Connection, digest: str) -> Optional[int]:
        row = conn.execute(select(articles.c.id).where(articles.c.content_hash == digest)).first()
        return row[0] if row else None

    def has(self, text_: str) -> bool:
        digest = content_hash(text_)
        return self.read(lambda conn: self._stored_id(conn, digest)) is not None

    def find_near_duplicate(self, signature: int) -> Optional[int]:
        def first(conn: Connection) -> Optional[int]:
            for article_id, other in conn.execute(select(articles.c.id, articles.c.simhash).where(articles.c.duplicate_of.is_(None))):
                if hamming(signature, other) <= SIMHASH_DISTANCE:
                    return article_id
            return None

        return self.read(first)

    def add(self, analysis: Analysis, vectors: Optional[list] = None) -> tuple[int, bool, Optional[int]]:
        """Store one analysis in one transaction (the article, its claims and their full-text rows, or nothing);
        returns (article id, newly added?, id of the article it reprints). ``vectors``: one English embedding per
        claim (multilingual.claim_vectors), kept for clustering. A text another writer stored first is not added again."""
        article = analysis.article
        digest = content_hash(article.text)
        existing = self.read(lambda conn: self._stored_id(conn, digest))
        if existing is not None:
            return existing, False, None
        signature = simhash(article.text)
        original = self.find_near_duplicate(signature)
        published = article.published or analysis.published_inferred
        rating = analysis.outlet
        outlet = article.source or article.site or (rating.label if rating else None)
        values = dict(
            content_hash=digest, simhash=signature, duplicate_of=original, input=article.id, url=article.url,
            title=article.title, source=outlet, site=article.site, published=published, text=article.text,
            language=analysis.language, outlet_risk=rating.risk if rating else "unknown",
            outlet_rating=rating.description if rating else None,
            verdict=analysis.verdict.sentence if analysis.verdict else None,
            analysis=json.loads(analysis.model_dump_json()), ingested_at=datetime.now(timezone.utc),
        )
        rows = [
            {
                "claim_key": c.id, "speaker": c.speaker.text if c.speaker else None,
                "speaker_resolved": c.speaker_resolved, "actor_id": c.actor.id if c.actor else None,
                "actor_risk": c.actor.risk if c.actor else None, "cue": c.cue.text if c.cue else None,
                "cue_class": c.cue_class, "kind": c.kind, "content": c.content.text, "hedges": ", ".join(c.hedges),
                "risk_flag": c.risk_flag, "checkworthiness": c.checkworthiness, "published": published, "outlet": outlet,
                "outlet_risk": rating.risk if rating else "unknown", "via": ", ".join(c.via) or None, "language": analysis.language,
                "vector": _vector_bytes(vectors[k]) if vectors is not None and k < len(vectors) else None,
            }
            for k, c in enumerate(analysis.claims)
        ]

        def store(conn: Connection) -> tuple[int, bool, Optional[int]]:
            existing = self._stored_id(conn, digest)
            if existing is not None:  # stored by another writer since the check above
                return existing, False, None
            article_id = conn.execute(insert(articles).values(**values)).inserted_primary_key[0]
            ids = [conn.execute(insert(claims).values(article_id=article_id, **row)).inserted_primary_key[0] for row in rows]
            if self.sqlite:
                for claim_id, row in zip(ids, rows):
                    conn.execute(text("INSERT INTO claims_fts(rowid, content, speaker) VALUES (:i, :c, :s)"),
                                 {"i": claim_id, "c": row["content"], "s": row["speaker_resolved"] or ""})
                conn.execute(text("INSERT INTO articles_fts(rowid, title, text) VALUES (:i, :t, :x)"),
                             {"i": article_id, "t": article.title or "", "x": article.text})
            return article_id, True, original

        try:
            return self.write(store)
        except IntegrityError:  # PostgreSQL: another writer committed the same text while this one waited
            existing = self.read(lambda conn: self._stored_id(conn, digest))
            if existing is None:
                raise
            return existing, False, None

    # ---- clustering ----

    def _space(self, conn: Connection):
        """The vector space the store clusters in: English while it holds only English articles, else multilingual."""
        from ..multilingual import SPACES

        languages = {row[0] or "en" for row in conn.execute(select(articles.c.language).distinct())}
        return SPACES["english" if languages <= {"en"} else "multilingual"]

    def embed_missing(self, batch_size: int = 512) -> int:
        """Embed, in the store's vector space, every claim that has no vector there yet (claims stored without one,
        or all of them once the store turns multilingual). Outside any lock: a vector is the same whoever computes
        it, and only empty ones are filled. Returns how many were embedded."""
        space = self.read(self._space)
        column = claims.c.vector if space.name == "english" else claims.c.vector_xl
        missing = self.read(lambda conn: conn.execute(select(claims.c.id, claims.c.content).where(column.is_(None)).order_by(claims.c.id)).all())
        for start in range(0, len(missing), batch_size):
            part = missing[start: start + batch_size]
            vectors = space.embed([row.content for row in part])
            self.write(lambda conn: conn.execute(
                update(claims).where(claims.c.id == bindparam("claim"), column.is_(None)).values({column.name: bindparam("vec")}),
                [{"claim": row.id, "vec": _vector_bytes(vector)} for row, vector in zip(part, vectors)]))
        return len(missing)

    def cluster_claims(self, threshold: Optional[float] = None, other_speaker_threshold: Optional[float] = None, method: str = "ann") -> int:
        """Give every unclustered claim a cluster, in publication order (claimscope.clustering: the nearest
        centroid within cosine `threshold` when the speakers agree, within `other_speaker_threshold` when
        they do not, else a new cluster). Returns the number of claims assigned.

        A store of English articles clusters in the English encoder's space (MiniLM over each claim's
        content, embedded here for the claims that lack one, or on the workers in batch mode); once it holds
        another language, every claim is clustered in the multilingual space (claimscope.multilingual), so
        that an original and its translated relays meet; the first claim in another language re-clusters the
        store in that space. The vectors are embedded first, outside the lock; reading the unclustered claims,
        assigning them and writing the clusters is one transaction under the store's clustering lock."""
        self.embed_missing()
        return self.write(lambda conn: self._cluster(conn, threshold, other_speaker_threshold, method), lock=True)

    def _cluster(self, conn: Connection, threshold: Optional[float], other_speaker_threshold: Optional[float], method: str) -> int:
        import numpy as np

        from ..clustering import Clusters, assign

        space = self._space(conn)
        spaces = {row[0] for row in conn.execute(select(clusters.c.space).distinct())}
        if spaces - {space.name, None} or (None in spaces and space.name != "english"):  # the store changed space: cluster everything again
            conn.execute(update(claims).values(cluster_id=None))
            conn.execute(clusters.delete())
        column = claims.c.vector if space.name == "english" else claims.c.vector_xl
        pending = conn.execute(select(claims.c.id, claims.c.content, claims.c.speaker_resolved, column.label("vector"),
                                      func.coalesce(claims.c.language, articles.c.language).label("language"))
                               .join(articles, claims.c.article_id == articles.c.id)
                               .where(claims.c.cluster_id.is_(None)).order_by(claims.c.published, claims.c.id)).all()
        if not pending:
            return 0
        existing = conn.execute(select(clusters.c.id, clusters.c.speaker, clusters.c.centroid, clusters.c.size, clusters.c.languages)
                                .order_by(clusters.c.id)).all()
        known = Clusters(ids=[row.id for row in existing], speakers=[row.speaker for row in existing],
                         means=[np.asarray(row.centroid, dtype=float) for row in existing], sizes=[row.size for row in existing],
                         languages=[set(row.languages or []) for row in existing])
        missing = [k for k, row in enumerate(pending) if not row.vector]  # stored by another writer after embed_missing
        vectors = np.zeros((len(pending), space.dimension), dtype=np.float32)
        for k, row in enumerate(pending):
            if row.vector:
                vectors[k] = np.frombuffer(row.vector, dtype="<f4")
        if missing:
            vectors[missing] = space.embed([pending[k].content for k in missing])
        positions, touched = assign(vectors, [row.speaker_resolved for row in pending], [row.content for row in pending], known,
                                    threshold=threshold if threshold is not None else space.threshold,
                                    other_speaker_threshold=other_speaker_threshold if other_speaker_threshold is not None else space.other_speaker_threshold,
                                    method=method, languages=[row.language or "en" for row in pending], cross_lingual_allowance=space.cross_lingual_allowance)
        for k in sorted(touched):
            values = dict(centroid=known.means[k].tolist(), size=known.sizes[k], languages=sorted(known.languages[k]), space=space.name)
            if known.ids[k] is None:
                known.ids[k] = conn.execute(insert(clusters).values(label=known.labels[k], speaker=known.speakers[k], **values)).inserted_primary_key[0]
            else:
                conn.execute(update(clusters).where(clusters.c.id == known.ids[k]).values(**values))
        conn.execute(update(claims).where(claims.c.id == bindparam("claim")).values(cluster_id=bindparam("cluster")),
                     [{"claim": row.id, "cluster": known.ids[k]} for row, k in zip(pending, positions)])
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
