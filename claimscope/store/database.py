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

from sqlalchemy import bindparam, create_engine, event, func, insert, select, text, true, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..records import Analysis
from .rows import (
    ArticleHit, ArticleRow, ClaimRow, ClusterDetail, ClusterSummary, SearchResult, SpeakerCount, StoredArticle, TimelinePoint,
)
from .schema import articles, assertions, claims, clusters, metadata
from .spread import cluster_spread, outlet_sentences, presentation_of, source_group

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
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # switching needs the file to itself: only once per store
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
            # no server at the start: say so at once; a SQLite file another process is creating or switching to WAL: wait
            self._retried(self._create_schema, write=True, lock=True, patience=RETRY_S if self.sqlite else 0)
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
                "presentation": presentation_of(c), "sentence": analysis.claim_sentence(c),
                "content_start": c.content.start, "content_end": c.content.end, "source_group": source_group(c.actor, c.speaker_resolved),
            }
            for k, c in enumerate(analysis.claims)
        ]
        own_voice = [{"sentence": sentence, "sentence_start": start, "sentence_end": end, "published": published, "outlet": outlet,
                      "language": analysis.language} for start, end, sentence in outlet_sentences(analysis)]

        def store(conn: Connection) -> tuple[int, bool, Optional[int]]:
            existing = self._stored_id(conn, digest)
            if existing is not None:  # stored by another writer since the check above
                return existing, False, None
            article_id = conn.execute(insert(articles).values(**values)).inserted_primary_key[0]
            ids = [conn.execute(insert(claims).values(article_id=article_id, **row)).inserted_primary_key[0] for row in rows]
            if own_voice:
                conn.execute(insert(assertions), [{"article_id": article_id, **row} for row in own_voice])
            if self.sqlite:
                for claim_id, row in zip(ids, rows):
                    self._index_claim(conn, claim_id, row["content"], row["speaker_resolved"])
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
        from ..engines.vectors import SPACES

        languages = {row[0] or "en" for row in conn.execute(select(articles.c.language).distinct())}
        return SPACES["english" if languages <= {"en"} else "multilingual"]

    def embed_missing(self, batch_size: int = 512) -> int:
        """Embed, in the store's vector space, every claim (its sentence) and every unmatched outlet assertion that
        has no vector there yet (rows stored without one, or all of them once the store turns multilingual).
        Outside any lock: a vector is the same whoever computes it, and only empty ones are filled. Returns how
        many were embedded."""
        space = self.read(self._space)
        done = 0
        for table, words, pending in ((claims, func.coalesce(claims.c.sentence, claims.c.content), true()),
                                      (assertions, assertions.c.sentence, assertions.c.claim_id.is_(None))):
            column = table.c.vector if space.name == "english" else table.c.vector_xl
            missing = self.read(lambda conn: conn.execute(
                select(table.c.id, words.label("words"), func.coalesce(table.c.language, articles.c.language).label("language"))
                .join(articles, table.c.article_id == articles.c.id).where(column.is_(None), pending).order_by(table.c.id)).all())
            for start in range(0, len(missing), batch_size):
                part = missing[start: start + batch_size]
                vectors = space.embed([row.words for row in part], [row.language for row in part])
                self.write(lambda conn: conn.execute(
                    update(table).where(table.c.id == bindparam("row"), column.is_(None)).values({column.name: bindparam("vec")}),
                    [{"row": row.id, "vec": _vector_bytes(vector)} for row, vector in zip(part, vectors)]))
            done += len(missing)
        return done

    def cluster_claims(self, threshold: Optional[float] = None, other_speaker_threshold: Optional[float] = None, method: str = "ann") -> int:
        """Give every unclustered claim a cluster, in publication order (claimscope.engines.clustering: the nearest
        centroid within cosine `threshold` when the speakers agree, within `other_speaker_threshold` when
        they do not, among the clusters within the space's window of days, else a new cluster); then let the
        outlets' own sentences that say what a cluster's claims say join it as outlet_voice members, and
        recompute how each changed cluster travelled (claimscope.store.spread). Returns the number of claims assigned.

        A store of English articles clusters in the English encoder's space (MiniLM over the sentence that
        carries each claim, embedded here for the claims that lack one, or on the workers in batch mode); once
        it holds another language, every claim is clustered in the multilingual space (claimscope.engines.vectors),
        so that an original and its translated relays meet; the first claim in another language re-clusters the
        store in that space. The vectors are embedded first, outside the lock; reading the unclustered claims,
        assigning them and writing the clusters is one transaction under the store's clustering lock."""
        self.embed_missing()
        return self.write(lambda conn: self._cluster(conn, threshold, other_speaker_threshold, method), lock=True)

    def _cluster(self, conn: Connection, threshold: Optional[float], other_speaker_threshold: Optional[float], method: str) -> int:
        import numpy as np

        from ..engines.clustering import Clusters, assign

        space = self._space(conn)
        spaces = {row[0] for row in conn.execute(select(clusters.c.space).distinct())}
        if spaces - {space.name, None} or (None in spaces and space.name != "english"):  # the store changed space: cluster everything again
            conn.execute(update(assertions).values(claim_id=None))  # outlet sentences are matched again in the new space
            if self.sqlite:
                conn.execute(text("DELETE FROM claims_fts WHERE rowid IN (SELECT id FROM claims WHERE presentation = 'outlet_voice')"))
            conn.execute(claims.delete().where(claims.c.presentation == "outlet_voice"))
            conn.execute(update(claims).values(cluster_id=None))
            conn.execute(clusters.delete())
        column = claims.c.vector if space.name == "english" else claims.c.vector_xl
        language = func.coalesce(claims.c.language, articles.c.language).label("language")
        pending = conn.execute(select(claims.c.id, func.coalesce(claims.c.sentence, claims.c.content).label("words"), claims.c.content,
                                      claims.c.speaker_resolved, claims.c.published, column.label("vector"), language)
                               .join(articles, claims.c.article_id == articles.c.id)
                               .where(claims.c.cluster_id.is_(None)).order_by(claims.c.published, claims.c.id)).all()
        existing = conn.execute(select(clusters.c.id, clusters.c.speaker, clusters.c.centroid, clusters.c.size, clusters.c.languages,
                                       clusters.c.first_seen, clusters.c.last_seen).order_by(clusters.c.id)).all()
        known = Clusters(ids=[row.id for row in existing], speakers=[row.speaker for row in existing],
                         means=[np.asarray(row.centroid, dtype=float) for row in existing], sizes=[row.size for row in existing],
                         languages=[set(row.languages or []) for row in existing],
                         days=[(row.first_seen.toordinal(), row.last_seen.toordinal()) if row.first_seen and row.last_seen else None for row in existing])
        touched: set[int] = set()
        if pending:
            vectors = self._vectors(pending, space)
            positions, touched = assign(vectors, [row.speaker_resolved for row in pending], [row.content for row in pending], known,
                                        threshold=threshold if threshold is not None else space.threshold,
                                        other_speaker_threshold=other_speaker_threshold if other_speaker_threshold is not None else space.other_speaker_threshold,
                                        method=method, languages=[row.language or "en" for row in pending], cross_lingual_allowance=space.cross_lingual_allowance,
                                        days=[row.published.toordinal() if row.published else None for row in pending], window_days=space.window_days,
                                        link_threshold=space.link_threshold)
            self._save_clusters(conn, known, touched, space)
            conn.execute(update(claims).where(claims.c.id == bindparam("claim")).values(cluster_id=bindparam("cluster")),
                         [{"claim": row.id, "cluster": known.ids[k]} for row, k in zip(pending, positions)])
            missing = [k for k, row in enumerate(pending) if not row.vector]  # stored by another writer after embed_missing
            if missing:
                conn.execute(update(claims).where(claims.c.id == bindparam("claim")).values({column.name: bindparam("vec")}),
                             [{"claim": pending[k].id, "vec": _vector_bytes(vectors[k])} for k in missing])
        joined = self._join_assertions(conn, known, space)
        self._save_clusters(conn, known, joined, space)
        changed = {known.ids[k] for k in touched | joined}
        self.update_spread(conn, changed)
        return len(pending)

    def _vectors(self, rows, space):
        """The rows' vectors: stored ones read, missing ones embedded (their sentence, in their language)."""
        import numpy as np

        vectors = np.zeros((len(rows), space.dimension), dtype=np.float32)
        missing = [k for k, row in enumerate(rows) if not row.vector]
        for k, row in enumerate(rows):
            if row.vector:
                vectors[k] = np.frombuffer(row.vector, dtype="<f4")
        if missing:
            vectors[missing] = space.embed([rows[k].words for k in missing], [rows[k].language for k in missing])
        return vectors

    @staticmethod
    def _index_claim(conn: Connection, claim_id: int, content: str, speaker: Optional[str]) -> None:
        """Add a claim to SQLite's full-text index."""
        conn.execute(text("INSERT INTO claims_fts(rowid, content, speaker) VALUES (:i, :c, :s)"), {"i": claim_id, "c": content, "s": speaker or ""})

    def _save_clusters(self, conn: Connection, known, positions: set[int], space) -> None:
        from datetime import date as day

        for k in sorted(positions):
            span = known.days[k]
            values = dict(centroid=known.means[k].tolist(), size=known.sizes[k], languages=sorted(known.languages[k]), space=space.name,
                          first_seen=day.fromordinal(span[0]) if span else None, last_seen=day.fromordinal(span[1]) if span else None)
            if known.ids[k] is None:
                known.ids[k] = conn.execute(insert(clusters).values(label=known.labels[k], speaker=known.speakers[k], **values)).inserted_primary_key[0]
            else:
                conn.execute(update(clusters).where(clusters.c.id == known.ids[k]).values(**values))

    def _join_assertions(self, conn: Connection, known, space) -> set[int]:
        """Let each outlet sentence not matched yet join the nearest cluster within the window whose members name a
        source, when it says the same (cosine >= the space's assertion_threshold): it becomes an outlet_voice claim of
        that cluster, the outlet its speaker. Returns the cluster positions that changed."""
        import numpy as np

        from ..engines.clustering import UNDATED, unit

        column = assertions.c.vector if space.name == "english" else assertions.c.vector_xl
        rows = conn.execute(select(assertions.c.id, assertions.c.article_id, assertions.c.sentence.label("words"), assertions.c.sentence_start,
                                   assertions.c.sentence_end, assertions.c.published, assertions.c.outlet, column.label("vector"),
                                   func.coalesce(assertions.c.language, articles.c.language).label("language"), articles.c.outlet_risk)
                            .join(articles, assertions.c.article_id == articles.c.id).where(assertions.c.claim_id.is_(None))).all()
        named = {row[0] for row in conn.execute(select(claims.c.cluster_id).where(claims.c.presentation.in_(["attributed", "relayed"])).distinct())}
        eligible = [k for k, cluster_id in enumerate(known.ids) if cluster_id in named]
        if not rows or not eligible:
            return set()
        vectors = self._vectors(rows, space)
        units = np.stack([unit(known.means[k]) for k in eligible])
        first, last = np.array([known.days[k] or UNDATED for k in eligible]).T
        changed: set[int] = set()
        for row, vector in zip(rows, vectors):
            scores = units @ vector
            if space.window_days and row.published:
                day = row.published.toordinal()
                scores = np.where((first <= day + space.window_days) & (last >= day - space.window_days), scores, -1.0)
            best = int(np.argmax(scores))
            if scores[best] < space.assertion_threshold:
                continue
            k = eligible[best]
            claim_id = conn.execute(insert(claims).values(
                article_id=row.article_id, claim_key=f"o{row.id}", speaker=row.outlet, speaker_resolved=row.outlet, cue=None, cue_class="outlet",
                kind="outlet_voice", content=row.words, hedges="", risk_flag=False, published=row.published, outlet=row.outlet,
                outlet_risk=row.outlet_risk, language=row.language, cluster_id=known.ids[k], presentation="outlet_voice", sentence=row.words,
                content_start=row.sentence_start, content_end=row.sentence_end, source_group=row.outlet,
                **{column.name: _vector_bytes(vector)})).inserted_primary_key[0]
            if self.sqlite:
                self._index_claim(conn, claim_id, row.words, row.outlet)
            conn.execute(update(assertions).where(assertions.c.id == row.id).values(claim_id=claim_id))
            known.join(k, unit(vector), row.language or None)  # undated: an outlet's sentence does not move the cluster's window
            changed.add(k)
        return changed

    def update_spread(self, conn: Connection, cluster_ids: Optional[set[int]] = None) -> None:
        """Recompute the origin, first sighting, relay chain, corroboration and laundering of these clusters (all when None)."""
        statement = (select(claims.c.id, claims.c.cluster_id, claims.c.article_id, claims.c.published, claims.c.outlet, claims.c.presentation,
                            claims.c.speaker_resolved, claims.c.via, claims.c.actor_risk, claims.c.outlet_risk, claims.c.source_group,
                            func.coalesce(claims.c.language, articles.c.language).label("language"))
                     .join(articles, claims.c.article_id == articles.c.id).where(claims.c.cluster_id.is_not(None)))
        if cluster_ids is not None:
            if not cluster_ids:
                return
            statement = statement.where(claims.c.cluster_id.in_(sorted(cluster_ids)))
        members: dict[int, list] = {}
        for row in conn.execute(statement):
            members.setdefault(row.cluster_id, []).append(row)
        rows = [{"cluster": cluster_id, **cluster_spread(group)} for cluster_id, group in members.items()]
        if rows:
            conn.execute(update(clusters).where(clusters.c.id == bindparam("cluster")).values(
                origin_article_id=bindparam("origin_article_id"), origin_speaker=bindparam("origin_speaker"),
                origin_outlet=bindparam("origin_outlet"), first_seen=bindparam("first_seen"), laundered=bindparam("laundered"),
                spread=bindparam("spread")), rows)

    # ---- reading ----

    def article(self, article_id: int) -> Optional[StoredArticle]:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return StoredArticle.model_validate(dict(row)) if row else None

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        columns = [articles.c[name] for name in ArticleRow.model_fields]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(articles.c.published.desc().nulls_last(), articles.c.id).limit(limit).offset(offset)).mappings()
            return [ArticleRow.model_validate(dict(r)) for r in rows]

    def ledger(self, speaker: Optional[str] = None, cue_class: Optional[str] = None, risk: Optional[bool] = None,
               outlet: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
               query: Optional[str] = None, limit: int = 200, offset: int = 0, outlet_risk: Optional[str] = None) -> list[ClaimRow]:
        """Claims with filters; `query` is full-text over claim content and speaker; `outlet_risk` is the outlet's rating."""
        own = [claims.c[name] for name in ClaimRow.model_fields if name in claims.c]
        statement = select(*own, articles.c.title, articles.c.url, articles.c.outlet_rating).join(articles, claims.c.article_id == articles.c.id)
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
            return [ClaimRow.model_validate(dict(r)) for r in conn.execute(statement).mappings()]

    def search(self, query: str, limit: int = 100) -> SearchResult:
        """Articles and claims that hold the words of ``query``."""
        return SearchResult(articles=self.search_articles(query), claims=self.ledger(query=query, limit=limit))

    def search_articles(self, query: str, limit: int = 50) -> list[ArticleHit]:
        columns = [articles.c.id, articles.c.title, articles.c.source, articles.c.published]
        if self.sqlite:
            ids = select(text("rowid")).select_from(text("articles_fts")).where(text("articles_fts MATCH :q"))
            statement = select(*columns).where(articles.c.id.in_(ids)).params(q=_fts_query(query))
        else:
            document = func.to_tsvector("english", func.coalesce(articles.c.title, "") + " " + articles.c.text)
            statement = select(*columns).where(document.op("@@")(func.plainto_tsquery("english", query)))
        with self.engine.connect() as conn:
            return [ArticleHit.model_validate(dict(r)) for r in conn.execute(statement.limit(limit)).mappings()]

    def cluster_summaries(self, limit: int = 100, laundered: Optional[bool] = None) -> list[ClusterSummary]:
        """Per cluster: its label, origin (article, speaker, outlet), first seen, how many claims, the outlets and languages
        in order of appearance, first sighting per language and outlet, speakers, the relay chain, independent
        corroboration (distinct sources not on the origin's side) and whether it was laundered; ``laundered`` filters."""
        statement = select(clusters.c.id, clusters.c.label, clusters.c.origin_article_id, clusters.c.origin_speaker, clusters.c.origin_outlet,
                           clusters.c.first_seen, clusters.c.laundered, clusters.c.spread)
        members = (select(claims.c.cluster_id, claims.c.published, claims.c.outlet, claims.c.speaker_resolved, claims.c.presentation,
                          func.coalesce(claims.c.language, articles.c.language).label("language"))
                   .join(articles, claims.c.article_id == articles.c.id).where(claims.c.cluster_id.is_not(None)))
        if laundered is not None:
            chosen = func.coalesce(clusters.c.laundered, False).is_(laundered)
            statement = statement.where(chosen)
            members = members.where(claims.c.cluster_id.in_(select(clusters.c.id).where(chosen)))
        with self.engine.connect() as conn:
            found = {row.id: row for row in conn.execute(statement)}
            rows = conn.execute(members).all()
        summary: dict[int, dict] = {}
        for row in rows:
            cluster = found.get(row.cluster_id)
            if cluster is None:
                continue
            spread = cluster.spread or {}
            entry = summary.setdefault(row.cluster_id, {
                "cluster_id": row.cluster_id, "label": cluster.label, "first_seen": cluster.first_seen, "claims": 0,
                "origin_article_id": cluster.origin_article_id, "origin_speaker": cluster.origin_speaker, "origin_outlet": cluster.origin_outlet,
                "laundered": bool(cluster.laundered), "outlets": spread.get("outlets", []), "languages": spread.get("languages", []),
                "relay_chain": spread.get("relay_chain", []), "independent_corroboration": spread.get("independent_corroboration", 0),
                "presentations": spread.get("presentations", {}), "speakers": set(), "first_seen_by": {}})
            entry["claims"] += 1
            if row.published:  # first appearance per language and outlet: where the claim started and how it travelled
                key = f"{row.language or 'en'} / {row.outlet or 'unknown outlet'}"
                if key not in entry["first_seen_by"] or row.published < entry["first_seen_by"][key]:
                    entry["first_seen_by"][key] = row.published
            if row.speaker_resolved and row.presentation != "outlet_voice":
                entry["speakers"].add(row.speaker_resolved)
        result = sorted(summary.values(), key=lambda e: (-len(e["outlets"]), -e["claims"], e["cluster_id"]))[:limit]
        for entry in result:
            entry["speakers"] = sorted(entry["speakers"])
            entry["first_seen_by"] = [{"where": key, "first_seen": day} for key, day in sorted(entry["first_seen_by"].items(), key=lambda item: item[1])]
        return [ClusterSummary.model_validate(entry) for entry in result]

    def cluster(self, cluster_id: int) -> Optional[ClusterDetail]:
        """One cluster's summary with its members in order of appearance (outlet, language, presentation, speaker,
        via, sentence, article), for the narrative page."""
        with self.engine.connect() as conn:
            row = conn.execute(select(clusters).where(clusters.c.id == cluster_id)).mappings().first()
            if row is None:
                return None
            members = conn.execute(
                select(claims.c.id, claims.c.article_id, claims.c.published, claims.c.outlet, claims.c.outlet_risk, claims.c.presentation,
                       claims.c.speaker_resolved, claims.c.actor_risk, claims.c.via, claims.c.sentence, claims.c.content,
                       func.coalesce(claims.c.language, articles.c.language).label("language"), articles.c.title)
                .join(articles, claims.c.article_id == articles.c.id).where(claims.c.cluster_id == cluster_id)
                .order_by(claims.c.published.asc().nulls_last(), claims.c.article_id, claims.c.id)).mappings().all()
        spread = row["spread"] or {}
        return ClusterDetail(cluster_id=row["id"], label=row["label"], size=row["size"], origin_article_id=row["origin_article_id"],
                             origin_speaker=row["origin_speaker"], origin_outlet=row["origin_outlet"], first_seen=row["first_seen"],
                             last_seen=row["last_seen"], laundered=bool(row["laundered"]), outlets=spread.get("outlets", []),
                             languages=spread.get("languages", []), relay_chain=spread.get("relay_chain", []),
                             independent_corroboration=spread.get("independent_corroboration", 0),
                             independent_sources=spread.get("independent_sources", []), members=[dict(m) for m in members])

    def actor_timeline(self, speaker: str) -> list[TimelinePoint]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(claims.c.published, func.count()).where(claims.c.speaker_resolved == speaker)
                                .group_by(claims.c.published).order_by(claims.c.published)).all()
        return [TimelinePoint(date=r[0], claims=r[1]) for r in rows]

    def speakers(self, limit: int = 100) -> list[SpeakerCount]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(claims.c.speaker_resolved, func.count()).where(claims.c.speaker_resolved.is_not(None))
                                .group_by(claims.c.speaker_resolved).order_by(func.count().desc()).limit(limit)).all()
        return [SpeakerCount(speaker=r[0], claims=r[1]) for r in rows]

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
