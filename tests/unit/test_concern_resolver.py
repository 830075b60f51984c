"""The NLU component that turns extracted concerns into canonical ids."""
from __future__ import annotations

import pytest
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from pipeline.spacy_pipeline import build_pipeline
from nlp.concern_resolver import ConcernEntityResolver, concern_ids


@pytest.fixture(scope="module")
def nlp(kb):
    return build_pipeline(kb)


@pytest.fixture(scope="module")
def resolver(kb):
    synonyms = {s.lower(): c.id for c in kb.concerns.values() for s in c.synonyms}
    synonyms["face"] = "face"  # a synonym of another entity type must not become a concern
    return ConcernEntityResolver({}, None, None, synonyms)


def spacy_entities(nlp, text):
    return [
        {"entity": e.label_, "value": e.text, "start": e.start_char, "end": e.end_char,
         "extractor": "SpacyEntityExtractor"}
        for e in nlp(text).ents
    ]


def message(nlp, text, entities):
    msg = Message(data={TEXT: text, "entities": entities})
    msg.set(SPACY_DOCS[TEXT], nlp(text.lower()))
    return msg


def diet(value, start, end, entity="concern"):
    return {"entity": entity, "value": value, "start": start, "end": end, "extractor": "DIETClassifier"}


def values(entities):
    return [(e["entity"], e["value"]) for e in entities]


def test_known_ids_come_from_the_pipeline(nlp, kb):
    assert concern_ids(nlp) == frozenset(kb.ids)


def test_pattern_matches_become_their_ids_and_diet_duplicates_are_dropped(nlp, resolver):
    text = "little holes left from pimples and Stretch Marks"
    entities = spacy_entities(nlp, text) + [diet("stretch marks", 35, 48), diet("holes", 7, 12)]
    resolved = resolver.resolve(message(nlp, text, entities), concern_ids(nlp))
    assert values(resolved) == [("concern", "acne_scars"), ("concern", "stretch_marks")]


def test_a_diet_span_with_a_typo_maps_to_the_closest_synonym(nlp, resolver):
    text = "strech markss on my belly"
    resolved = resolver.resolve(message(nlp, text, [diet("strech markss", 0, 13)]), concern_ids(nlp))
    assert values(resolved) == [("concern", "stretch_marks")]


def test_a_diet_span_that_is_no_concern_is_dropped(nlp, resolver):
    text = "what's the weather"
    entities = [diet("weather", 11, 18), diet("face", 0, 4)]
    assert resolver.resolve(message(nlp, text, entities), concern_ids(nlp)) == []


def test_every_pattern_entity_gets_its_id_and_diet_duplicates_are_dropped(nlp, resolver):
    text = "acne scars on my Cheeks, I'm pregnant and there's pus"
    entities = spacy_entities(nlp, text) + [diet("cheeks", 17, 23, entity="body_area")]
    resolved = resolver.resolve(message(nlp, text, entities), concern_ids(nlp))
    assert values(resolved) == [
        ("concern", "acne_scars"), ("body_area", "face"), ("caution", "pregnancy"), ("red_flag", "infection"),
    ]


def test_diet_entities_of_other_types_pass_through(nlp, resolver):
    text = "on my elbow crease"
    resolved = resolver.resolve(message(nlp, text, [diet("elbow crease", 6, 18, entity="body_area")]),
                                concern_ids(nlp))
    assert values(resolved) == [("body_area", "elbow crease")]


@pytest.mark.parametrize("text, expected", [
    ("my skin is dull, no dark spots though", ["texture_tone"]),
    ("I lost weight and the skin isn't saggy", []),
    ("it's not acne scars, more like brown patches", ["hyperpigmentation"]),
    ("not just big pores but acne scars too", ["texture_tone", "acne_scars"]),
    ("I don't know if these are stretch marks", ["stretch_marks"]),
    ("no idea why I have dark spots", ["hyperpigmentation"]),
])
def test_a_denied_concern_is_dropped(nlp, resolver, kb, text, expected):
    msg = message(nlp, text, spacy_entities(nlp, text))
    found = [e["value"] for e in resolver.resolve(msg, frozenset(kb.ids)) if e["entity"] == "concern"]
    assert found == expected
