"""Retrieval of a knowledge-base passage for questions no FAQ topic covers."""
from __future__ import annotations

import pytest

from assistant.contract import CLINIC_TOPICS
from assistant.retrieval import Retriever, passages, terms


@pytest.fixture(scope="module")
def retriever(kb):
    return Retriever(kb)


def test_every_faq_concern_section_procedure_point_and_caution_is_a_passage(kb):
    keys = {p.key for p in passages(kb)}
    assert {f"faq:{k}" for k in kb.faq if k not in CLINIC_TOPICS} <= keys
    assert not {f"faq:{k}" for k in CLINIC_TOPICS} & keys  # clinic.yml answers those, not a passage
    assert {f"concern:{c}:evidence" for c in kb.ids} <= keys
    assert "caution:isotretinoin" in keys and "procedure:0" in keys


def test_words_are_stemmed_and_stop_words_dropped():
    assert terms("Is peeling normal after microneedling?") == ["peel", "normal"]


@pytest.mark.parametrize("question, key", [
    ("what is the evidence like for stretch marks", "concern:stretch_marks:evidence"),
    ("how long does numbing take to work", "faq:session_length"),
    ("can it get rid of stretch marks completely", "concern:stretch_marks:summary"),
    ("does isotretinoin matter", "caution:isotretinoin"),
])
def test_a_question_finds_its_passage(retriever, question, key):
    passage = retriever.best(question)
    assert passage is not None and passage.key == key


@pytest.mark.parametrize("question", ["what's the capital of France", "hmm", "tell me about football"])
def test_an_unrelated_question_finds_nothing(retriever, question):
    assert retriever.best(question) is None
