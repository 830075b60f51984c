"""The spaCy pipeline built from the knowledge base finds every concern."""
from __future__ import annotations

import re

import pytest
import spacy

from nlp.build_pipeline import build_pipeline
from nlp.patterns import GAP


@pytest.fixture(scope="module")
def nlp(kb):
    return build_pipeline(kb)


def concerns_in(nlp, text):
    return [(ent.text, ent.ent_id_) for ent in nlp(text).ents if ent.label_ == "concern"]


def test_every_synonym_is_found_as_its_concern(nlp, kb):
    for concern in kb.concerns.values():
        for synonym in concern.synonyms:
            for text in (f"I have {synonym}", f"{synonym.upper()}!", f"my {synonym.capitalize()}, please help"):
                found = concerns_in(nlp, text)
                assert {cid for _, cid in found} == {concern.id}, f"{text!r} -> {found}"


def test_every_gap_pattern_matches_with_words_in_between(nlp, kb):
    for concern in kb.concerns.values():
        for pattern in concern.patterns:
            text = "I have " + re.sub(re.escape(GAP), "left on my", pattern)
            assert concern.id in [cid for _, cid in concerns_in(nlp, text)], text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("little holes left from pimples on my cheeks", ["acne_scars"]),
        ("tiger stripes after my twins", ["stretch_marks"]),
        ("Stretch Marks and DARK SPOTS", ["stretch_marks", "hyperpigmentation"]),
        ("ice-pick scars", ["acne_scars"]),
        ("my acne scars, stretch marks and the sagging on my neck", ["acne_scars", "stretch_marks", "loose_skin"]),
        ("scarred skin after my operation", ["scars"]),
        ("wrinkled skin", ["wrinkles"]),
        ("I have pitted acne scars", ["acne_scars"]),
    ],
)
def test_realistic_phrasings(nlp, text, expected):
    assert [cid for _, cid in concerns_in(nlp, text)] == expected


def test_a_red_flag_wins_over_an_overlapping_concern(nlp):
    ents = [(e.label_, e.ent_id_) for e in nlp("my scars are from cutting myself").ents]
    assert ("red_flag", "self_harm") in ents


@pytest.mark.parametrize("text", ["what's the weather", "tell me a joke", "I like apple pie", "hello"])
def test_unrelated_text_has_no_concern(nlp, text):
    assert concerns_in(nlp, text) == []


def test_the_pipeline_round_trips_through_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["lemmatizer", "red_flag_ruler", "entity_ruler"]
    assert concerns_in(loaded, "Stretch marks") == [("Stretch marks", "stretch_marks")]
    assert [t.lemma_ for t in loaded("holes pimples")] == ["hole", "pimple"]


def red_flags_in(nlp, text):
    return [e.ent_id_ for e in nlp(text).ents if e.label_ == "red_flag"]


def test_a_word_marked_exact_matches_only_as_written(nlp):
    assert red_flags_in(nlp, "a spot on my cheek got darker") == ["mole"]
    assert red_flags_in(nlp, "a spot on my cheek got dark") == []


@pytest.mark.parametrize("text, kind", [
    ("my face came up in welts", "allergy"),
    ("I feel dizzy since the cream", "numbing"),
    ("tiny blisters near my mouth", "cold_sore"),
    ("blisters have come up near my eye", "eye"),
    ("hard lumps on my cheek", "lumps"),
    ("is it melanoma", "mole"),
])
def test_each_new_kind_of_red_flag_has_its_phrases(nlp, text, kind):
    assert kind in red_flags_in(nlp, text)
