"""Every visitor-facing text reads at school grade 8 (first answers) or 9 (the rest), and fits a phone.

The grade is Flesch-Kincaid, computed by textstat 0.7.x (offline: it counts
syllables with pyphen). Texts are measured as a visitor sees them, with the
glossary's explanations inserted. The formula means nothing on a label of a
few words ("Isotretinoin (Accutane) now or recently"), so texts under
MIN_WORDS words are not graded; they are still checked for length.
"""
from __future__ import annotations

import re
from typing import Iterator, Tuple

import pytest
import textstat

from assistant.compose import explain_terms
from assistant.knowledge_base import KnowledgeBase, load_knowledge_base

FIRST_ANSWER_GRADE = 8.0
OTHER_GRADE = 9.0
FIRST_ANSWER_CHARS = 350
DETAIL_CHARS = 600
MIN_WORDS = 10

Text = Tuple[str, str]  # (where, text)
# A list of links, one per line ("- title: link"), as sources and directories are shown.
LINK_LINE = re.compile(r"^- .+: https://\S+$")


def first_answers(kb: KnowledgeBase) -> Iterator[Text]:
    for concern in kb.concerns.values():
        yield f"{concern.id}: first answer", f"{concern.summary} {concern.short}"


def details(kb: KnowledgeBase) -> Iterator[Text]:
    """Texts shown one idea at a time: details, FAQ answers, notes."""
    for concern in kb.concerns.values():
        for key, text in concern.details.items():
            yield f"{concern.id}: {key}", text
        for key, text in concern.questions.items():
            yield f"{concern.id}: question {key}", text
    for faq in kb.faq.values():
        yield f"faq {faq.key}", faq.answer
        if faq.more:
            yield f"faq {faq.key}: more", faq.more
    for group, options in kb.options.items():
        for option in options:
            if option.note:
                yield f"option {group}.{option.id}", option.note
    for i, point in enumerate(kb.procedure["points"]):
        yield f"procedure point {i}", point
    for until, text in kb.aftercare["stages"]:
        yield f"aftercare until day {until}", text
    for key in ("unknown", "care", "warning"):
        yield f"aftercare {key}", kb.aftercare[key]


def other_texts(kb: KnowledgeBase) -> Iterator[Text]:
    """Every other text a visitor reads: shared replies, the questionnaire, the domain's responses."""
    for key, text in kb.general.items():
        yield f"general {key}", text
    for key, question in kb.questions.items():
        yield f"question {key}", question["text"]
    for key, text in _strings(kb.questionnaire.get("switch", {})):
        yield f"questionnaire switch {key}", text
    for key, text in _strings(kb.questionnaire.get("notes", {})):
        yield f"questionnaire notes {key}", text
    for concern in kb.concerns.values():
        yield f"{concern.id}: recommendation", kb.recommendation(concern)
    for key, text in _flat(kb.next_step):
        yield f"next_step {key}", "\n".join(line for line in text.splitlines() if not LINK_LINE.match(line))
    for name, text in kb.replies.items():
        yield f"domain {name}", text


def _flat(data: dict, prefix: str = "") -> Iterator[Tuple[str, str]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


def _strings(data: dict) -> Iterator[Tuple[str, str]]:
    for key, value in data.items():
        if isinstance(value, str):
            yield key, value


def grade(kb: KnowledgeBase, text: str) -> float:
    """The Flesch-Kincaid grade of a text as shown (glossary explanations included)."""
    return float(textstat.flesch_kincaid_grade(" ".join(explain_terms(kb, text).split())))


def graded(text: str) -> bool:
    return len(re.findall(r"[A-Za-z']+", text)) >= MIN_WORDS


KB = load_knowledge_base()


@pytest.mark.parametrize("where, text", list(first_answers(KB)))
def test_first_answers_are_short_and_plain(kb, where, text):
    assert len(text) <= FIRST_ANSWER_CHARS, f"{where}: {len(text)} characters"
    assert grade(kb, text) <= FIRST_ANSWER_GRADE, f"{where}: grade {grade(kb, text):.1f}: {text}"


@pytest.mark.parametrize("where, text", list(details(KB)))
def test_details_fit_one_screen_and_read_at_grade_9(kb, where, text):
    assert len(text) <= DETAIL_CHARS, f"{where}: {len(text)} characters"
    if graded(text):
        assert grade(kb, text) <= OTHER_GRADE, f"{where}: grade {grade(kb, text):.1f}: {text}"


@pytest.mark.parametrize("where, text", list(other_texts(KB)))
def test_every_other_text_reads_at_grade_9(kb, where, text):
    if graded(text):
        assert grade(kb, text) <= OTHER_GRADE, f"{where}: grade {grade(kb, text):.1f}: {text}"


def test_no_raw_links_inside_sentences(kb):
    texts = [*first_answers(kb), *details(kb), *other_texts(kb)]
    with_links = [where for where, text in texts if "http" in text or "www." in text]
    assert with_links == []


def test_the_grade_is_measured_offline_and_tells_plain_from_dense_text():
    plain = "Acne can leave scars. Most are sunken. The treatment can make them look a bit better."
    dense = ("Microneedling-induced neocollagenesis demonstrates statistically significant amelioration of "
             "atrophic cicatrices in heterogeneous randomised investigations.")
    assert textstat.flesch_kincaid_grade(plain) < 6 < 14 < textstat.flesch_kincaid_grade(dense)
