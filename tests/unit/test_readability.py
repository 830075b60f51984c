"""Every visitor-facing text of the questionnaire reads at US school grade 9 or below.

Patient information is best written at grade 6-8 (AMA, NIH): short sentences,
everyday words. Measured with the Flesch-Kincaid grade of textstat. Labels of
fewer than six words are left out: the formula means little for them (a
button "Vitiligo, psoriasis or similar" scores 19 on its three long words).
"""
from __future__ import annotations

from typing import Any, Iterator, Tuple

import pytest
import textstat

from actions.knowledge_base import load_knowledge_base

MAX_GRADE = 9.0
MAX_CHARS = 600
MIN_WORDS = 6
NEVER_SAY = ("safe for you", "don't have it", "do not have it", "you can have it", "you can't have it")
SAMPLE = {"professional": "a board-certified dermatologist", "cautions": "Pregnant or breastfeeding",
          "label": "Where", "value": "Neck"}


def _texts(value: Any, path: str) -> Iterator[Tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in ("synonyms", "id", "skip_words"):
                yield from _texts(inner, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, inner in enumerate(value):
            yield from _texts(inner, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, " ".join(value.format(**SAMPLE).split())


def visitor_texts() -> list:
    kb = load_knowledge_base()
    options = {group: [{"title": o.title, "note": o.note or ""} for o in opts] for group, opts in kb.options.items()}
    found = [*_texts(options, "options"), *_texts(kb.questions, "questions"), *_texts(
        {k: v for k, v in kb.questionnaire.items() if k in ("notes", "summary", "retry", "changed", "final")},
        "questionnaire")]
    return [(path, text) for path, text in found if text]


@pytest.mark.parametrize("path, text", visitor_texts())
def test_each_text_is_short_plain_and_gives_no_verdict(path, text):
    if len(text.split()) >= MIN_WORDS:
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, (path, text)
    assert len(text) <= MAX_CHARS, path
    assert not any(phrase in text.lower() for phrase in NEVER_SAY), (path, text)


def test_the_measure_tells_plain_from_dense_text():
    plain = "Talk to your doctor first. They can look at your skin."
    dense = ("Immunosuppressive pharmacotherapy substantially compromises cutaneous re-epithelialisation, "
             "necessitating individualised multidisciplinary evaluation preceding percutaneous intervention.")
    assert textstat.flesch_kincaid_grade(plain) <= MAX_GRADE < textstat.flesch_kincaid_grade(dense)
