"""Ingest of every format and every bad-input case."""
import io
import json
import sys
from datetime import date

from claimscope.ingest import read_inputs
from claimscope.records import Article, InputError

HTML = """<!DOCTYPE html><html><head><title>Belarus moves missiles to the border</title>
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2024-07-04">
<meta property="og:site_name" content="Example News"></head><body><nav>Home | World</nav><article>
<h1>Belarus moves missiles to the border</h1>
<p>Aleksandr Lukashenko claims that Belarus has deployed Iskander missile systems along the border with Ukraine.
The outlet could not verify the claim independently, and officials in Kyiv did not comment.</p>
<p>Analysts said the announcement was an element of the information war waged by Moscow and Minsk.</p>
</article><footer>Copyright</footer></body></html>"""


def collect(paths, **kw):
    items = list(read_inputs([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def test_plain_text_takes_headline_as_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Belarus deploys Iskander missiles\nLukashenko claims that Belarus deployed missiles.\n")
    articles, errors = collect([path])
    assert not errors
    assert articles[0].title == "Belarus deploys Iskander missiles"
    assert articles[0].text.startswith("Belarus deploys")


def test_plain_text_without_headline_has_no_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Lukashenko claims that Belarus deployed missiles. He warned Ukraine.\n")
    articles, _ = collect([path])
    assert articles[0].title is None


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML)
    articles, errors = collect([path])
    assert not errors
    article = articles[0]
    assert article.title == "Belarus moves missiles to the border"
    assert article.published == date(2024, 7, 4)
    assert article.author == "Jane Roe"
    assert article.site == "Example News"
    assert "Iskander missile systems" in article.text
    assert "Home | World" not in article.text and "Copyright" not in article.text


def test_jsonl_records_with_metadata_and_html(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [
        {"text": "Putin said Russia would respond.", "url": "https://example.org/a", "published": "2024-07-03", "source": "TASS"},
        {"html": HTML, "url": "https://example.org/b"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    articles, errors = collect([path])
    assert not errors
    assert [a.url for a in articles] == ["https://example.org/a", "https://example.org/b"]
    assert articles[0].published == date(2024, 7, 3) and articles[0].source == "TASS"
    assert "Iskander" in articles[1].text


def test_folder_is_walked_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("Second article text. It says things.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text(HTML)
    (tmp_path / "a.txt").write_text("First article text. It says things.")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    articles, errors = collect([tmp_path])
    assert not errors
    assert [a.id.rsplit("/", 1)[-1] for a in articles] == ["a.txt", "b.txt", "c.html"]


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Putin said Russia would respond.\n")))
    articles, errors = collect(["-"])
    assert not errors and articles[0].id == "<stdin>"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    _, errors = collect([path])
    assert errors[0].input == str(path) and errors[0].reason == "empty file"


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _, errors = collect([path])
    assert "binary file" in errors[0].reason


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Lukashenko sagte: Gr\u00fc\u00dfe aus Minsk.".encode("latin-1"))
    _, errors = collect([path])
    assert "cannot decode as utf-8" in errors[0].reason and "offset" in errors[0].reason
    articles, errors = collect([path], encoding="latin-1")
    assert not errors and "Gr\u00fc\u00dfe" in articles[0].text


def test_html_without_article(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    _, errors = collect([path])
    assert errors[0].reason == "HTML page holds no article text"


def test_broken_html_still_yields_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><p>Lukashenko claims that Belarus has deployed Iskander missile systems along the border with Ukraine, "
                    "according to state media, and he warned Kyiv again.<div><p>Unclosed tags everywhere <b>bold")
    articles, errors = collect([path])
    assert not errors and "Iskander" in articles[0].text


def test_malformed_jsonl_line_does_not_stop_the_rest(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "First article. It is fine."}\n{"text": broken\n{"url": "x"}\n{"text": "Third article. Fine too."}\n')
    articles, errors = collect([path])
    assert len(articles) == 2
    assert errors[0].input == f"{path}:2" and "malformed JSON line" in errors[0].reason
    assert errors[1].input == f"{path}:3" and "no non-empty 'text' or 'html'" in errors[1].reason


def test_huge_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, errors = collect([path])
    assert "52.4 MB, over the 21 MB limit" in errors[0].reason


def test_missing_path(tmp_path):
    _, errors = collect([tmp_path / "nope.txt"])
    assert errors[0].reason == "no such file or folder"


def test_bad_inputs_do_not_stop_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text("Putin said Russia would respond.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 100)
    articles, errors = collect([tmp_path])
    assert len(articles) == 1 and len(errors) == 2


def test_a_folder_gives_only_its_articles_and_counts_what_it_skips(tmp_path):
    from typer.testing import CliRunner

    from claimscope.cli import app
    from claimscope.store import Store

    from .conftest import EXAMPLE

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "article.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "README.md").write_text("# Notes\n\nThis folder holds one article and some scripts.\n", encoding="utf-8")
    (folder / "fetch.sh").write_text("#!/bin/sh\ncurl https://example.org\n", encoding="utf-8")
    (folder / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>', encoding="utf-8")
    db = tmp_path / "store.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--no-cluster"])
    assert result.exit_code == 0, result.output
    assert Store(str(db)).counts()["articles"] == 1
    assert "skipped 3: README.md, not an article type, fetch.sh, not an article type, sitemap.xml, XML that is not an RSS/Atom feed" in result.stderr
    named = CliRunner().invoke(app, ["analyze", str(folder / "README.md")])
    assert named.exit_code == 1 and "README.md: not an article type (.md; articles are .txt, .html, .jsonl files and RSS/Atom feeds)" in named.stderr
