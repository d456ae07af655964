"""The store's tables: articles (with the whole analysis as JSON), their claims, and claim clusters.
The same schema serves SQLite and PostgreSQL; SQLite adds FTS5 tables for full-text search
(claims_fts, articles_fts: derived data, rebuilt by ``claimscope check --repair``)."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text

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
    Column("vector_xl", LargeBinary),  # float32: the multilingual embedding (claimscope.engines.vectors), made when the store holds several languages
    Column("language", String(8)),
    Column("cluster_id", Integer, ForeignKey("clusters.id"), nullable=True, index=True),
    Column("presentation", String(16), index=True),  # attributed | relayed | vague | outlet_voice (claimscope.store.spread)
    Column("sentence", Text),  # the sentence(s) that carry the claim
    Column("content_start", Integer), Column("content_end", Integer),  # the content's characters in the article's text
    Column("source_group", Text),  # whose side the source is on, for independent corroboration (spread.source_group)
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
    # How the claim travelled (claimscope.store.spread), recomputed from the members whenever they change:
    Column("origin_article_id", Integer), Column("origin_speaker", Text), Column("origin_outlet", Text),
    Column("first_seen", Date), Column("last_seen", Date), Column("laundered", Boolean, index=True),
    Column("spread", JSON),  # outlets and languages in order of appearance, the relay chain, independent corroboration
)
assertions = Table(
    "assertions", metadata,  # sentences an outlet asserts in its own voice: candidates for outlet_voice members of a cluster
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("sentence", Text, nullable=False),
    Column("sentence_start", Integer, nullable=False), Column("sentence_end", Integer, nullable=False),
    Column("published", Date), Column("outlet", Text), Column("language", String(8)),
    Column("vector", LargeBinary), Column("vector_xl", LargeBinary),  # as for claims
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=True),  # the outlet_voice claim it became, once it joined a cluster
)


