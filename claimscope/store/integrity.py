"""A store's invariants, checked and repaired: what ``claimscope check --db URL [--repair]`` does.

The analyses (articles and their claims) are the record; clusters, full-text indexes and claim
vectors are derived from them. ``check`` names every violation; ``repair`` rebuilds the derived
data that is wrong (vectors, clusters, full-text rows) and never touches an analysis.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Literal

import numpy as np
from pydantic import BaseModel
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.engine import Connection

from .database import Store
from .schema import articles, claims, clusters

CENTROID_TOLERANCE = 1e-5  # a centroid is the mean of its members' vectors (float32 vectors, float64 means)
SHOWN_IDS = 10

Kind = Literal["duplicate_article", "claims_missing", "unclustered", "missing_cluster", "empty_cluster", "cluster_size",
               "cluster_space", "centroid", "vector", "fts"]


class Violation(BaseModel):
    """One broken invariant: what, how many rows, and (some of) their ids."""

    kind: Kind
    count: int
    message: str
    repairable: bool = True


def _ids(values) -> str:
    values = sorted(values)
    shown = ", ".join(str(v) for v in values[:SHOWN_IDS])
    return shown + (f" and {len(values) - SHOWN_IDS} more" if len(values) > SHOWN_IDS else "")


def _column(store: Store, conn: Connection):
    space = store._space(conn)
    return space, (claims.c.vector if space.name == "english" else claims.c.vector_xl)


def _member_means(conn: Connection, column) -> tuple[dict[int, np.ndarray], dict[int, int], set[int]]:
    """Per cluster: the mean of its members' vectors, the member count, and the clusters with a member lacking a vector."""
    sums: dict[int, np.ndarray] = {}
    counts: dict[int, int] = defaultdict(int)
    incomplete: set[int] = set()
    for cluster_id, vector in conn.execute(select(claims.c.cluster_id, column).where(claims.c.cluster_id.is_not(None))):
        counts[cluster_id] += 1
        if vector is None:
            incomplete.add(cluster_id)
            continue
        value = np.frombuffer(vector, dtype="<f4").astype(np.float64)
        sums[cluster_id] = sums[cluster_id] + value if cluster_id in sums else value
    return {k: v / counts[k] for k, v in sums.items() if k not in incomplete}, counts, incomplete


def _fts_violations(conn: Connection) -> list[Violation]:
    found = []
    for table, fts, columns in (("claims", "claims_fts", "content = c.content AND f.speaker = coalesce(c.speaker_resolved, '')"),
                                ("articles", "articles_fts", "title = coalesce(c.title, '') AND f.text = c.text")):
        missing = [r[0] for r in conn.execute(text(f"SELECT c.id FROM {table} c WHERE c.id NOT IN (SELECT rowid FROM {fts})"))]
        stray = [r[0] for r in conn.execute(text(f"SELECT rowid FROM {fts} WHERE rowid NOT IN (SELECT id FROM {table})"))]
        stale = [r[0] for r in conn.execute(text(f"SELECT c.id FROM {table} c JOIN {fts} f ON f.rowid = c.id WHERE NOT (f.{columns})"))]
        if missing or stray or stale:
            found.append(Violation(kind="fts", count=len(missing) + len(stray) + len(stale),
                                   message=f"full-text index {fts} is out of step with {table}: {len(missing)} rows missing, "
                                           f"{len(stray)} for rows that are gone, {len(stale)} stale"))
    return found


def check(store: Store) -> list[Violation]:
    """Every violated invariant of the store (an empty list when it holds): each article stored once and whole, every
    claim in exactly one existing cluster, each cluster's size, space and centroid those of its members, the
    full-text indexes in step with their rows (SQLite), and every claim's vector in the store's space."""
    found: list[Violation] = []
    with store.snapshot() as conn:
        duplicated = conn.execute(select(articles.c.content_hash, func.count()).group_by(articles.c.content_hash).having(func.count() > 1)).all()
        if duplicated:
            found.append(Violation(kind="duplicate_article", count=len(duplicated), repairable=False,
                                   message=f"{len(duplicated)} texts are stored more than once"))
        listed = (func.json_array_length(articles.c.analysis, "$.claims") if store.sqlite
                  else func.json_array_length(articles.c.analysis.op("->")("claims")))
        stored = (select(claims.c.article_id, func.count().label("n")).where(func.coalesce(claims.c.presentation, "") != "outlet_voice")
                  .group_by(claims.c.article_id).subquery())
        short = [r[0] for r in conn.execute(select(articles.c.id).outerjoin(stored, stored.c.article_id == articles.c.id)
                                             .where(func.coalesce(stored.c.n, 0) != listed))]
        if short:
            found.append(Violation(kind="claims_missing", count=len(short), repairable=False,
                                   message=f"{len(short)} articles have claim rows that differ from their analysis (articles {_ids(short)}; re-ingest them)"))
        unclustered = conn.execute(select(func.count()).select_from(claims).where(claims.c.cluster_id.is_(None))).scalar_one()
        if unclustered:
            found.append(Violation(kind="unclustered", count=unclustered, message=f"{unclustered} claims are in no cluster"))
        dangling = [r[0] for r in conn.execute(select(claims.c.id).outerjoin(clusters, claims.c.cluster_id == clusters.c.id)
                                                .where(claims.c.cluster_id.is_not(None), clusters.c.id.is_(None)))]
        if dangling:
            found.append(Violation(kind="missing_cluster", count=len(dangling), message=f"{len(dangling)} claims point to a cluster that does not exist (claims {_ids(dangling)})"))
        space, column = _column(store, conn)
        means, members, incomplete = _member_means(conn, column)
        rows = conn.execute(select(clusters.c.id, clusters.c.size, clusters.c.space, clusters.c.centroid)).all()
        empty = [r.id for r in rows if not members.get(r.id)]
        if empty:
            found.append(Violation(kind="empty_cluster", count=len(empty), message=f"{len(empty)} clusters have no member claims (clusters {_ids(empty)})"))
        wrong_size = [r.id for r in rows if members.get(r.id) and r.size != members[r.id]]
        if wrong_size:
            found.append(Violation(kind="cluster_size", count=len(wrong_size), message=f"{len(wrong_size)} clusters have a size that is not their number of members (clusters {_ids(wrong_size)})"))
        other_space = [r.id for r in rows if (r.space or "english") != space.name]
        if other_space:
            found.append(Violation(kind="cluster_space", count=len(other_space), message=f"{len(other_space)} clusters are in another vector space than the store's ({space.name})"))
        off = [r.id for r in rows if r.id in means and r.id not in incomplete and (r.space or "english") == space.name
               and not np.allclose(np.asarray(r.centroid, dtype=np.float64), means[r.id], atol=CENTROID_TOLERANCE)]
        if off:
            found.append(Violation(kind="centroid", count=len(off), message=f"{len(off)} clusters have a centroid that is not the mean of their members (clusters {_ids(off)})"))
        without = conn.execute(select(func.count()).select_from(claims).where(column.is_(None))).scalar_one()
        if without:
            found.append(Violation(kind="vector", count=without, message=f"{without} claims have no vector in the store's space ({space.name})"))
        if store.sqlite:
            found += _fts_violations(conn)
    return found


def _rebuild_clusters(store: Store, conn: Connection) -> dict[str, int]:
    """Under the clustering lock: claims of missing clusters are unclustered, clusters without members are
    deleted, and every other cluster's size, centroid and languages are set from its members."""
    space, column = _column(store, conn)
    if {r[0] or "english" for r in conn.execute(select(clusters.c.space).distinct())} - {space.name}:
        conn.execute(update(claims).values(cluster_id=None))
        conn.execute(clusters.delete())
        return {"clusters reset (other vector space)": 1}
    unlinked = conn.execute(update(claims).where(claims.c.cluster_id.is_not(None), claims.c.cluster_id.not_in(select(clusters.c.id)))
                            .values(cluster_id=None)).rowcount
    means, members, _incomplete = _member_means(conn, column)
    deleted = conn.execute(clusters.delete().where(clusters.c.id.not_in(select(claims.c.cluster_id).where(claims.c.cluster_id.is_not(None))))).rowcount
    languages: dict[int, set] = defaultdict(set)
    for cluster_id, language in conn.execute(select(claims.c.cluster_id, func.coalesce(claims.c.language, articles.c.language))
                                             .join(articles, claims.c.article_id == articles.c.id).where(claims.c.cluster_id.is_not(None))):
        languages[cluster_id].add(language or "en")
    rows = [{"cluster": k, "size": members[k], "centroid": means[k].tolist(), "languages": sorted(languages[k])} for k in means]
    if rows:
        conn.execute(update(clusters).where(clusters.c.id == bindparam("cluster"))
                     .values(size=bindparam("size"), centroid=bindparam("centroid"), languages=bindparam("languages")), rows)
    return {"claims of missing clusters unclustered": unlinked, "empty clusters deleted": deleted, "clusters recomputed": len(rows)}


def _rebuild_fts(conn: Connection) -> None:
    conn.execute(text("DELETE FROM claims_fts"))
    conn.execute(text("INSERT INTO claims_fts(rowid, content, speaker) SELECT id, content, coalesce(speaker_resolved, '') FROM claims"))
    conn.execute(text("DELETE FROM articles_fts"))
    conn.execute(text("INSERT INTO articles_fts(rowid, title, text) SELECT id, coalesce(title, ''), text FROM articles"))


def repair(store: Store, violations: list[Violation]) -> dict[str, int]:
    """Rebuild the derived data that ``violations`` (from check) name: vectors embedded, clusters recomputed from
    their members (empty ones deleted), unclustered claims clustered, full-text indexes rebuilt. Returns what was done."""
    kinds = {v.kind for v in violations}
    done: dict[str, int] = {}
    if "vector" in kinds or "centroid" in kinds:
        done["vectors embedded"] = store.embed_missing()
    if kinds & {"missing_cluster", "empty_cluster", "cluster_size", "cluster_space", "centroid"}:
        done.update(store.write(lambda conn: _rebuild_clusters(store, conn), lock=True))
    done["claims clustered"] = store.cluster_claims()
    store.write(lambda conn: store.update_spread(conn), lock=True)
    if "fts" in kinds and store.sqlite:
        store.write(_rebuild_fts)
        done["full-text indexes rebuilt"] = 2
    return {what: count for what, count in done.items() if count}
