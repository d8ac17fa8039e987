"""Every quoted provision must be verbatim from the shared corpus of official texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhixing.calculators.legal_texts import corpus_sources

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "laws"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus of legal texts not available")
@pytest.mark.parametrize("key", sorted(corpus_sources()))
def test_quotation_is_verbatim(key: str) -> None:
    provision, corpus_file = corpus_sources()[key]
    source = (CORPUS / corpus_file).read_text(encoding="utf-8")
    for paragraph in provision.text.split("\n"):
        assert paragraph, key
        assert paragraph in source, f"{key}: {paragraph!r} not found in {corpus_file}"


def test_every_quotation_has_title_and_article() -> None:
    for provision, _ in corpus_sources().values():
        assert provision.title.startswith("《")
        assert provision.article
        assert provision.text
