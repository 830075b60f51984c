"""The spaCy pipeline built from the knowledge base finds every concern."""
from __future__ import annotations

import re

import pytest
import spacy

from pipeline.spacy_pipeline import build_pipeline
from pipeline.patterns import GAP


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


def cautions_in(nlp, text):
    return [ent.ent_id_ for ent in nlp(text).ents if ent.label_ == "caution"]


@pytest.mark.parametrize("text, expected", [
    ("I'm allergic to nickel", ["metal_or_numbing_allergy"]),
    ("I have vitiligo, is microneedling ok?", ["autoimmune_skin"]),
    ("I have psoriasis", ["autoimmune_skin"]),
    ("my eczema is flaring", ["active_skin_condition", "active_skin_condition"]),
    ("I'm on immunosuppressants", ["weak_immunity"]),
    ("I had radiotherapy on my chest", ["radiotherapy"]),
    ("I'm diabetic", ["slow_healing"]),
])
def test_safety_screen_words_are_found_as_their_caution(nlp, text, expected):
    assert cautions_in(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "I had a melanoma removed", "is this skin cancer?", "I'm 16, can I get microneedling?",
    "I had a peel last week", "will my skin feel sunburnt afterwards?", "my mole is changing",
])
def test_screen_items_without_an_entity_make_no_caution_pattern(nlp, text):
    """Moles and skin cancer take the red-flag path; age, peels and sunburn are everyday words."""
    assert cautions_in(nlp, text) == []


def red_flags_in(nlp, text):
    return [e.ent_id_ for e in nlp(text).ents if e.label_ == "red_flag"]


def test_a_word_marked_exact_matches_only_as_written(nlp):
    assert red_flags_in(nlp, "a spot on my cheek got darker") == ["mole"]
    assert red_flags_in(nlp, "a spot on my cheek got dark") == []


@pytest.mark.parametrize("text, kind", [
    ("my face came up in welts", "hives"),
    ("I feel dizzy since the cream", "numbing"),
    ("tiny blisters near my mouth", "cold_sore"),
    ("blisters have come up near my eye", "eye"),
    ("hard lumps on my cheek", "lumps"),
    ("is it melanoma", "mole"),
])
def test_each_new_kind_of_red_flag_has_its_phrases(nlp, text, kind):
    assert kind in red_flags_in(nlp, text)
