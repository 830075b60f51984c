"""The professional recommendation: in full the first time, then in one short line (issue 22)."""
from __future__ import annotations

from assistant.decisions import decide
from assistant.state import State


def parse(text, intent="ask_question", topic=None, concern=None):
    entities = [{"entity": "concern", "value": concern}] if concern else []
    ranking = [{"topic": topic, "confidence": 0.9}] if topic else []
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities,
            "question_ranking": ranking}


def texts(reply):
    return "\n".join(text for text, _ in reply.messages)


def test_the_first_answer_has_the_recommendation_in_full_and_later_ones_a_short_line(kb):
    first_parse = parse("I have wrinkles", "describe_concern", concern="wrinkles")
    first = decide("action_concern_info", first_parse, State(slots={"concern": ["wrinkles"]},
                                                             messages=((0.0, first_parse),)), kb, None)
    full = kb.recommendation(kb.concerns["wrinkles"])
    assert full in texts(first)
    second_parse = parse("does it hurt?", topic="pain")
    state = State(slots={"concern": ["wrinkles"]}, messages=((0.0, first_parse), (1.0, second_parse)),
                  said=tuple(text for text, _ in first.messages))
    second = decide("action_answer_faq", second_parse, state, kb, None)
    answer = texts(second)
    assert full not in answer and kb.general["faq_recommendation"] not in answer
    assert kb.general["short_recommendation"] in answer and "qualified professional" in answer
    assert kb.faq["pain"].answer.split(".")[0] in answer


def test_the_summary_keeps_the_recommendation_in_full(kb):
    said = (kb.general["faq_recommendation"],)
    reply = decide("action_show_summary", parse("show my summary", "show_summary"),
                   State(slots={"concern": ["wrinkles"]}, said=said), kb, None)
    assert kb.general["short_recommendation"] not in texts(reply)
