"""NLU training data agrees with the knowledge base, and the test set is held out."""
from __future__ import annotations

from collections import Counter

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from pipeline.spacy_pipeline import build_pipeline
from pipeline.generated import VOCABULARY, vocabulary
from harness.servers import ROOT

MIN_EXAMPLES_PER_CONCERN = 10


@pytest.fixture(scope="module")
def training():
    return load_data(str(ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def held_out():
    return load_data(str(ROOT / "tests" / "nlu_test.yml"))


def test_generated_vocabulary_is_up_to_date(kb):
    assert VOCABULARY.read_text(encoding="utf-8") == vocabulary(kb), "run `make nlu-data`"


def test_synonyms_and_lookup_table_come_from_the_knowledge_base(kb, training):
    expected = {s.lower(): c.id for c in kb.concerns.values() for s in c.synonyms}
    for text, concern_id in expected.items():
        assert training.entity_synonyms.get(text) == concern_id
    lookup = next(t for t in training.lookup_tables if t["name"] == "concern")
    assert {e.lower() for e in lookup["elements"]} == set(expected)


def _annotated_concerns(data):
    for example in data.intent_examples:
        for entity in example.get("entities") or []:
            if entity["entity"] == "concern":
                yield example.get("text"), entity


@pytest.mark.parametrize("dataset", ["training", "held_out"])
def test_every_annotated_concern_is_found_by_the_pipeline(kb, request, dataset):
    nlp = build_pipeline(kb)
    misses = []
    for text, entity in _annotated_concerns(request.getfixturevalue(dataset)):
        assert entity["value"] in kb.ids, f"{text!r}: unknown concern id {entity['value']!r}"
        found = {e.ent_id_ for e in nlp(text).ents if e.start_char < entity["end"] and entity["start"] < e.end_char}
        if entity["value"] not in found:
            misses.append((text, entity["value"], found))
    if dataset == "training":
        assert misses == [], "training annotations the knowledge base does not cover"
    else:  # held-out phrasings may be new; the concern classifier must cover the rest (see the NLU evaluation)
        assert len(misses) <= 3, misses


def test_every_concern_has_training_and_held_out_examples(kb, training, held_out):
    for data, minimum in ((training, MIN_EXAMPLES_PER_CONCERN), (held_out, MIN_EXAMPLES_PER_CONCERN)):
        counts = Counter(entity["value"] for _, entity in _annotated_concerns(data))
        for concern_id in kb.ids:
            assert counts[concern_id] >= minimum, f"{concern_id}: {counts[concern_id]} examples"


def test_the_test_set_is_held_out(training, held_out):
    trained = {e.get("text").lower() for e in training.training_examples}
    overlap = [e.get("text") for e in held_out.training_examples if e.get("text").lower() in trained]
    assert overlap == []
