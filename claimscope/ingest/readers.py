"""Ingest: turn files, folders, JSONL corpora and stdin into ``Article`` records.

Each input either yields articles or one ``InputError`` naming the input and the
reason, so a batch never stops on a bad file and never drops one silently.
"""
from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Optional

import dateparser

from ..records import Article, InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


class IngestError(ValueError):
    """Raised for one input that cannot become an article."""


ARTICLE_TYPES = ".txt, .html, .jsonl files and RSS/Atom feeds"


class Skipped(list):
    """Files of a folder that are not an article type (a README, a script), as (path, reason): counted, never read."""

    def line(self) -> str:
        shown = ", ".join(f"{Path(path).name}, {reason}" for path, reason in self[:5])
        return f"skipped {len(self)}: {shown}" + (f" and {len(self) - 5} more" if len(self) > 5 else "")


def folder_files(folder: Path, skipped: Optional[Skipped] = None) -> list[Path]:
    """The article files under a folder, in sorted order: chosen by extension, and a .xml file only when it is a feed
    (content sniffing); every other file goes to ``skipped`` with the reason."""
    chosen = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix not in KNOWN_SUFFIXES:
            reason = "not an article type"
        elif suffix == ".xml" and _sniff(_head(path)) != ".xml":
            reason = "XML that is not an RSS/Atom feed"
        else:
            chosen.append(path)
            continue
        if skipped is not None:
            skipped.append((str(path), reason))
    return chosen


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(2048).decode("utf-8", "replace")
    except OSError:
        return ""


def read_inputs(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, encoding: str = "utf-8", skipped: Optional[Skipped] = None
) -> Iterator[Article | InputError]:
    """Yield an Article or an InputError for every input; folders are walked in sorted order, and their files that are
    not an article type are left out (listed in ``skipped``). A file named explicitly is read by its extension (or, with
    none, by its content); one of another type is an InputError."""
    for raw in paths:
        if raw.startswith(("http://", "https://")):
            yield from _guard(raw, lambda url=raw: _feed_articles(url, url))
            continue
        if raw == "-":
            yield from _guard("<stdin>", lambda: _articles_from_bytes("<stdin>", sys.stdin.buffer.read(), None, max_bytes, encoding))
            continue
        path = Path(raw)
        if path.is_dir():
            files = folder_files(path, skipped)
            if not files:
                yield InputError(input=str(path), reason=f"folder holds no articles ({ARTICLE_TYPES})")
            for file in files:
                yield from _guard(str(file), lambda f=file: _read_file(f, max_bytes, encoding))
        elif not path.exists():
            yield InputError(input=raw, reason="no such file or folder")
        elif path.suffix and path.suffix.lower() not in KNOWN_SUFFIXES:
            yield InputError(input=raw, reason=f"not an article type ({path.suffix}; articles are {ARTICLE_TYPES})")
        else:
            yield from _guard(raw, lambda p=path: _read_file(p, max_bytes, encoding))


def _guard(name: str, produce) -> Iterator[Article | InputError]:
    try:
        yield from produce()
    except IngestError as exc:
        yield InputError(input=name, reason=str(exc))
    except OSError as exc:
        yield InputError(input=name, reason=f"cannot read: {exc.strerror or exc}")


def _read_file(path: Path, max_bytes: int, encoding: str) -> Iterator[Article | InputError]:
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-bytes)")
    return _articles_from_bytes(str(path), path.read_bytes(), path.suffix.lower(), max_bytes, encoding)


def _articles_from_bytes(
    name: str, data: bytes, suffix: Optional[str], max_bytes: int, encoding: str
) -> Iterator[Article | InputError]:
    if len(data) > max_bytes:
        raise IngestError(f"input is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-bytes)")
    text = decode(data, encoding)
    if suffix is None or suffix not in KNOWN_SUFFIXES:
        suffix = _sniff(text)
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_articles(name, text)
    elif suffix in FEED_SUFFIXES:
        yield from _feed_articles(name, text)
    elif suffix in HTML_SUFFIXES:
        yield article_from_html(name, text)
    else:
        yield article_from_text(name, text)


BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def _utf16_without_bom(head: bytes) -> Optional[str]:
    """'utf-16-le'/'utf-16-be' when every other byte of the start is NUL, as in UTF-16 text of Latin script."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Decode bytes, refusing empty and binary input with a reason a person understands. A byte-order
    mark (UTF-8, UTF-16, UTF-32) or UTF-16 without one is recognised whatever --encoding says."""
    if not data.strip():
        raise IngestError("empty file")
    head = data[:8192]
    detected = next((name for bom, name in BOMS if data.startswith(bom)), None) or _utf16_without_bom(head)
    if detected is None and b"\x00" in head:
        raise IngestError("binary file (contains NUL bytes), not text, HTML or JSONL")
    chosen = detected or ("utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding)
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        hint = "pass --encoding with the file's encoding, e.g. --encoding cp1252 or --encoding koi8-r" if not detected else "the file is damaged"
        raise IngestError(f"cannot decode as {chosen}: invalid byte 0x{data[exc.start]:02x} at offset {exc.start} ({hint})") from None
    except LookupError:
        raise IngestError(f"unknown encoding {encoding!r}") from None
    if not text.strip():
        raise IngestError("empty file")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise IngestError("binary file (mostly control characters), not text")
    return text


def _sniff(text: str) -> str:
    head = text.lstrip()[:512].lower()
    if head.startswith("{"):
        return ".jsonl"
    if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
        return ".xml"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
        return ".html"
    return ".txt"


def article_from_text(name: str, text: str, **meta) -> Article:
    """Plain text: the first line is the title when it looks like a headline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise IngestError("empty file")
    first, _, rest = text.partition("\n")
    title = meta.pop("title", None)
    if title is None and rest.strip() and _looks_like_title(first):
        title = first.strip()
    return Article(id=name, text=text, title=title, **meta)


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return 2 <= len(line.split()) <= 25 and len(line) <= 200 and not line.endswith((".", ",", ";"))


def article_from_html(name: str, html: str, **meta) -> Article:
    """HTML page: main text and metadata via trafilatura."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise IngestError(f"HTML could not be parsed: {exc}") from None
    if doc is None or not (doc.text or "").strip():
        raise IngestError("HTML page holds no article text")
    text = doc.text.strip()
    if not _looks_like_article(text):
        words = len(text.split())
        raise IngestError(f"HTML page holds no article (only {words} words of navigation or boilerplate, no running text)")
    title = doc.title or None
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :].lstrip()
    meta.setdefault("title", title)
    meta.setdefault("url", doc.url or None)
    meta.setdefault("author", doc.author or None)
    meta.setdefault("site", doc.sitename or None)
    if meta.get("published") is None and doc.date:
        meta["published"] = parse_date(doc.date)
    return Article(id=name, text=text, **{k: v for k, v in meta.items() if k != "title"}, title=meta["title"])


ARTICLE_SENTENCE = re.compile(r"[^\W\d_][^.!?\n]{20,}[.!?\u201d\"\u00bb]")


def _looks_like_article(text: str) -> bool:
    """Running text: at least one sentence of some length, not only menu items and link labels."""
    return len(text.split()) >= 12 and ARTICLE_SENTENCE.search(text) is not None


def count_articles(paths: Iterable[str]) -> Optional[int]:
    """How many articles the inputs hold, when that can be known cheaply (feeds and URLs: None)."""
    total = 0
    for raw in paths:
        if raw == "-" or raw.startswith(("http://", "https://")):
            return None
        path = Path(raw)
        files = folder_files(path) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix in FEED_SUFFIXES:
                return None
            if suffix in JSONL_SUFFIXES:
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def parse_date(value) -> Optional[date]:
    """A publication date from ISO strings or free text ('3 July 2024'); None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parsed = dateparser.parse(str(value), settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


def _feed_articles(name: str, source: str) -> Iterator[Article | InputError]:
    """RSS/Atom via feedparser (a URL or the feed's text): one article per entry, from its content or summary."""
    import feedparser

    feed = feedparser.parse(source)
    if not feed.entries:
        reason = f"not a readable RSS/Atom feed ({feed.bozo_exception})" if feed.get("bozo") else "feed has no entries"
        raise IngestError(reason)
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{name}#{number}"
        body = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        meta = {"url": entry.get("link"), "source": outlet, "author": entry.get("author"),
                "published": parse_date(entry.get("published") or entry.get("updated")), "title": entry.get("title")}
        try:
            if "<" in body:
                yield article_from_html(entry.get("id") or entry.get("link") or where, f"<html><body><article>{body}</article></body></html>", **meta)
            else:
                yield article_from_text(entry.get("id") or entry.get("link") or where, body, **meta)
        except IngestError as exc:
            yield InputError(input=where, reason=str(exc))


def _jsonl_articles(name: str, text: str) -> Iterator[Article | InputError]:
    """One article per line: ``text`` or ``html``, with optional url, published, source, title."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(input=where, reason=f"malformed JSON line: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield InputError(input=where, reason="JSON line is not an object")
            continue
        meta = {
            "url": record.get("url"),
            "source": record.get("source"),
            "author": record.get("author"),
            "published": parse_date(record.get("published")),
        }
        if record.get("title"):
            meta["title"] = record["title"]
        article_id = str(record.get("id") or where)
        try:
            if isinstance(record.get("text"), str) and record["text"].strip():
                yield article_from_text(article_id, record["text"], **meta)
            elif isinstance(record.get("html"), str) and record["html"].strip():
                yield article_from_html(article_id, record["html"], **meta)
            else:
                yield InputError(input=where, reason="JSON line has no non-empty 'text' or 'html' field")
        except IngestError as exc:
            yield InputError(input=where, reason=str(exc))
    if seen == 0:
        raise IngestError("JSONL file holds no records")
