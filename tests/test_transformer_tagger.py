"""The fine-tuned attribution tagger (claimscope.engines.transformer): windows, probabilities, and
what it reads in context, on sentences written for the test."""
import numpy as np
import pytest

from claimscope.engines.attribution_crf import paragraphs, spans_from_tags
from claimscope.engines.transformer import MAX_PIECES, TAGS, paragraph_windows, tagger_features, transformer_tagger
from claimscope.engines.encoder import BATCH_TOKENS, MAX_ROWS, length_batches, wordpiece_tokenizer


def test_length_batches_bound_the_padded_size_of_each_call():
    lengths = [254, 3, 120, 7, 254, 40, 5, 90, 1] * 20
    batches = length_batches(lengths)
    assert sorted(k for batch in batches for k in batch) == list(range(len(lengths)))  # every window once
    order = [lengths[k] for batch in batches for k in batch]
    assert order == sorted(order)  # length-sorted, so little padding
    for batch in batches:
        assert len(batch) <= MAX_ROWS and len(batch) * (max(lengths[k] for k in batch) + 2) <= BATCH_TOKENS
    assert length_batches([2000]) == [[0]]  # a window over the budget still goes, alone


def test_windows_cut_long_paragraphs_between_words():
    words = ["Officials", "said", "the", "unconstitutionality", "of", "it", "was", "obvious", "."] * 60
    windows = paragraph_windows(words)
    assert len(windows) > 1
    covered = [index for _ids, word_indices, _firsts in windows for index in word_indices]
    assert covered == list(range(len(words)))  # every word once, in order, never split across windows
    tokenizer = wordpiece_tokenizer()
    for ids, word_indices, firsts in windows:
        assert len(ids) <= MAX_PIECES
        for index, first in zip(word_indices, firsts):
            assert tokenizer.id_to_token(ids[first]) == tokenizer.encode(words[index], add_special_tokens=False).tokens[0]


def test_words_without_word_pieces_are_left_out():
    ids, word_indices, _firsts = paragraph_windows(["Kyiv", "\u200b", "said"])[0]
    assert word_indices == [0, 2] and len(ids) >= 2
    assert paragraph_windows([]) == []


@pytest.fixture(scope="module")
def tagged(pipeline):
    def tag(text):
        doc = pipeline.nlp(text)
        probs = transformer_tagger().run_many([(doc, paragraphs(doc))])[0].probs
        tags = [TAGS[k] for k in probs.argmax(axis=1)]
        return doc, probs, {(s.role, doc[s.start : s.end].text) for s in spans_from_tags(tags, 0)}
    return tag


def test_probabilities_cover_every_token(tagged):
    doc, probs, _spans = tagged("The mayor said the bridge would reopen in May.\n\nNobody else commented.")
    assert probs.shape == (len(doc), len(TAGS))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    newline = [t.i for t in doc if t.is_space]
    assert newline and all(probs[i, 0] == 1.0 for i in newline)  # tokens outside paragraphs stay "O"


def test_the_tagger_finds_source_cue_and_content_of_a_report(tagged):
    _doc, _probs, spans = tagged("The harbour authority said on Monday that two cargo ships had run aground near the port.")
    assert ("CUE", "said") in spans
    assert ("SRC", "The harbour authority") in spans
    assert any(role == "CON" and "two cargo ships had run aground" in text for role, text in spans)


def test_the_tagger_reads_a_quotation_before_its_speaker(tagged):
    _doc, _probs, spans = tagged('"We will not withdraw a single unit," the commander told reporters.')
    assert any(role == "CON" and "We will not withdraw a single unit" in text for role, text in spans)
    assert ("SRC", "the commander") in spans


def test_plain_narration_has_no_attribution(tagged):
    _doc, _probs, spans = tagged("The river flooded three villages overnight and the roads were closed.")
    assert not {role for role, _text in spans} & {"CUE", "SRC"}


def test_crf_features_name_the_best_two_tags_and_confidence():
    probs = np.array([[0.05, 0.0, 0.0, 0.9, 0.05, 0.0, 0.0], [0.4, 0.0, 0.0, 0.0, 0.0, 0.35, 0.25]], dtype=np.float32)
    assert tagger_features(probs, [0, 1]) == [["nn=B-CUE", "nn2=O", "nn=B-CUE|hi", "nnrole=CUE"], ["nn=O", "nn2=B-CON", "nn=O|lo", "nnrole=O"]]
    assert tagger_features(probs, []) == []


def test_one_transformer_pass_gives_tags_and_vectors_beside_the_parser():
    from claimscope.pipeline import Config, Pipeline
    from claimscope.records import Article

    text = ("The ferry left at noon.\n\nThe harbour master said on Monday that the ferry had run aground near the pier. "
            "Nobody was hurt.\n")
    articles = [Article(id=str(k), text=text) for k in range(3)]
    pipeline = Pipeline(Config.load())
    threaded = list(pipeline.documents(articles))  # the transformer pass in the second thread
    alone = pipeline.run_batch(articles)
    for document, same in zip(threaded, alone):
        words = [t.i for t in document.doc if not t.is_space]
        assert document.token_vectors.shape == (len(document.doc), 384) and document.token_vectors[words].any(axis=1).all()
        assert np.allclose(np.linalg.norm(document.sentence_vectors, axis=1), 1.0, atol=1e-5)
        assert len(document.sentence_vectors) == len(document.analysis.sentences) == 3
        assert np.allclose(document.tagger_probs, same.tagger_probs, atol=1e-5)
        assert np.allclose(document.token_vectors, same.token_vectors, atol=1e-4)
        assert any("run aground" in c.content.text for c in document.analysis.claims)


def test_a_word_vector_is_the_mean_of_its_word_pieces():
    import spacy

    from claimscope.engines.encoder import padded_batch

    tagger = transformer_tagger()
    doc = spacy.blank("en")("Lukashenko spoke.")
    tagged = tagger.run_many([(doc, [(0, len(doc))])])[0]
    tokenizer = wordpiece_tokenizer()
    pieces = [tokenizer.encode(t.text, add_special_tokens=False).ids for t in doc]
    ids = [piece for word in pieces for piece in word]
    input_ids, mask = padded_batch([ids], tagger.cls_id, tagger.sep_id)
    hidden = tagger.session.run(["hidden"], {"input_ids": input_ids, "attention_mask": mask})[0][0, 1:-1]
    assert len(pieces[0]) > 1  # a name of several word pieces
    assert np.allclose(tagged.vectors[0], hidden[: len(pieces[0])].mean(axis=0), atol=1e-5)
    assert np.allclose(tagged.vectors[-1], hidden[-1], atol=1e-5)


def test_batches_run_side_by_side_give_each_batch_its_own_outputs_in_order():
    from claimscope.engines.encoder import padded_batch, run_batches

    tagger = transformer_tagger()
    tokenizer = wordpiece_tokenizer()
    sentences = [["The army said it had retaken the village."], ["Kyiv denied it.", "Moscow said nothing."],
                 ["Officials warned that more strikes were likely, according to the ministry."]]
    feeds = []
    for batch in sentences:
        input_ids, mask = padded_batch([tokenizer.encode(s, add_special_tokens=False).ids for s in batch], tagger.cls_id, tagger.sep_id)
        feeds.append({"input_ids": input_ids, "attention_mask": mask})
    together = list(run_batches(tagger.session, ["logits", "hidden"], feeds))
    assert len(together) == len(feeds)
    for feed, outputs in zip(feeds, together):
        for alone, side_by_side in zip(tagger.session.run(["logits", "hidden"], feed), outputs):
            assert np.array_equal(alone, side_by_side)


def test_training_vectors_of_a_sentence_read_alone_match_the_pipelines(pipeline):
    """The check-worthiness head is trained on embed_texts vectors and applied to the pipeline's sentence vectors."""
    from claimscope.engines.transformer import embed_texts
    from claimscope.records import Article

    sentence = "The ministry said the bridge had been destroyed overnight."
    document = next(pipeline.documents([Article(id="1", text=sentence + "\n")]))
    assert np.allclose(embed_texts([sentence])[0], document.sentence_vectors[0], atol=1e-4)


def test_the_heads_need_the_transformer_pass():
    from claimscope.pipeline import Config, ConfigError, Pipeline

    assert "encoder" not in Config.load().components  # no second transformer pass
    with pytest.raises(ConfigError, match="token_vectors"):
        Pipeline(Config.load(components=["sentences", "entities", "attribution", "techniques"]))
