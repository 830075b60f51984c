"""End to end over REST: a visitor who only clicks buttons completes the questionnaire."""
from __future__ import annotations

import pytest

from harness.servers import texts
from tests.shown import unexplained

pytestmark = pytest.mark.e2e

# For each concern: the area, duration, skin reaction, treatment and cautions to click.
VISITORS = {
    "acne_scars": ("face", "over_5_years", "easily", "creams",
                   ["isotretinoin", "active_skin_condition", "recent_skin_treatment", "under_18"]),
    "scars": ("arms", "1_to_5_years", "rarely", "none", ["keloids", "radiotherapy"]),
    "stretch_marks": ("abdomen", "1_to_5_years", "sometimes", "creams", ["pregnancy", "autoimmune_skin"]),
    "hyperpigmentation": ("face", "3_to_12_months", "easily", "peels", []),
    "wrinkles": ("face", "over_5_years", "rarely", "laser", ["blood_thinners", "metal_or_numbing_allergy"]),
    "loose_skin": ("neck", "1_to_5_years", "prefer_not_to_say", "none", ["slow_healing", "weak_immunity"]),
    "texture_tone": ("face", "under_3_months", "sometimes", "microneedling", ["changing_mole", "skin_cancer"]),
}


def click(rest, sender, replies, matches):
    """Click the first button whose payload contains `matches`."""
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    chosen = next((p for p in payloads if matches in p), None)
    assert chosen, f"no button with {matches!r} among {payloads}"
    return rest.send(sender, chosen)


@pytest.mark.parametrize("concern_id", sorted(VISITORS))
def test_a_visitor_completes_the_questionnaire_by_clicking(rest, sender, kb, concern_id):
    area, duration, reaction, treatment, cautions = VISITORS[concern_id]
    replies = rest.send(sender, "I'd like to answer the questions")
    assert kb.questions["concern"]["text"] in texts(replies)
    replies = click(rest, sender, replies, f'"{concern_id}"')
    assert kb.questions["body_area"]["text"] in texts(replies)
    replies = click(rest, sender, replies, f'"{area}"')
    assert kb.questions["duration"]["text"] in texts(replies)
    replies = click(rest, sender, replies, f'"{duration}"')
    replies = click(rest, sender, replies, f'"{reaction}"')
    replies = click(rest, sender, replies, f'"{treatment}"')
    assert kb.questions["cautions"]["text"] in texts(replies)
    for caution in cautions:
        replies = click(rest, sender, replies, f'"{caution}"')
        assert f"Noted: {kb.option('cautions', caution).title}." in texts(replies)
    replies = click(rest, sender, replies, '"none"')
    answer = texts(replies)

    concern = kb.get(concern_id)
    answer = unexplained(kb, answer)
    for caution in cautions:
        assert kb.option("cautions", caution).note in answer
    reminder = " ".join(kb.questionnaire["notes"]["reminder"].split())
    if cautions:
        told = "; ".join(kb.option("cautions", c).title for c in cautions)
        assert f"- You told me about: {told}. {reminder}" in answer
    else:
        assert f"- {kb.questionnaire['notes']['no_cautions']} {reminder}" in answer
    if reaction == "easily":
        assert kb.questionnaire["notes"]["darkens_easily"] in answer
    summary = next(r["text"] for r in replies if r.get("text", "").startswith(kb.questionnaire["summary"]["heading"]))
    assert f"- Concern: {concern.name}" in summary
    assert f"- Where: {kb.option('body_area', area).title}" in summary
    assert f"- How long: {kb.option('duration', duration).title}" in summary
    assert "qualified professional" in replies[-1]["text"]
    recommendation = next(r for r in replies if any("/follow_up" in b.get("payload", "") for b in r.get("buttons", [])))
    assert "qualified professional" in recommendation["text"]
    more = rest.send(sender, recommendation["buttons"][0]["payload"])
    assert kb.procedure["heading"] in texts(more)

    slots = rest.tracker(sender)["slots"]
    assert slots["concern"] == [concern_id] and slots["body_area"] == area
    assert slots["cautions"] == cautions and slots["cautions_done"] is True
    again = rest.send(sender, "show my summary")
    assert again[0]["text"] == summary  # then the PDF link and the consultation buttons


# The questionnaire's first five answers, in order (the safety check comes next).
ANSWERS = ['/inform{"concern": "acne_scars"}', '/inform{"body_area": "face"}', '/inform{"duration": "1_to_5_years"}',
           '/inform{"skin_reaction": "rarely"}', '/inform{"treatment": "none"}']


@pytest.mark.parametrize("answered", [1, 2, 4, 5], ids=["area", "duration", "treatments", "safety_check"])
def test_a_red_flag_mid_questionnaire_stops_it(rest, sender, kb, answered):
    rest.send(sender, "start the questions")
    for answer in ANSWERS[:answered]:
        rest.send(sender, answer)
    replies = rest.send(sender, "wait, my lips are swelling and I can't breathe")
    assert "or your local emergency number, now" in texts(replies)
    assert not any(q["text"] in texts(replies) for q in kb.questions.values())  # no next question
    assert rest.tracker(sender)["active_loop"] in ({}, None, {"name": None})


def test_safety_items_typed_in_own_words_are_explained_with_the_reminder(rest, sender, kb):
    rest.send(sender, "start the questions")
    for answer in ANSWERS:
        replies = rest.send(sender, answer)
    assert kb.questions["cautions"]["text"] in texts(replies)
    replies = rest.send(sender, "I'm allergic to nickel and I have vitiligo")
    assert "Noted: Metal or numbing cream allergy; Vitiligo, psoriasis or similar." in texts(replies)
    replies = rest.send(sender, "none of these")
    answer = unexplained(kb, texts(replies))
    for caution in ("metal_or_numbing_allergy", "autoimmune_skin"):
        assert kb.option("cautions", caution).note in answer
    assert "You told me about: Metal or numbing cream allergy; Vitiligo, psoriasis or similar. Also tell the clinic" \
        in answer
    assert rest.tracker(sender)["slots"]["cautions"] == ["metal_or_numbing_allergy", "autoimmune_skin"]


@pytest.mark.parametrize("told, caution", [
    ("I'm allergic to numbing cream", "metal_or_numbing_allergy"),
    ("Metal or numbing cream allergy", "metal_or_numbing_allergy"),
    ("Blood thinner or easy bleeding", "blood_thinners"),
    ("I'm on blood thinners", "blood_thinners"),
])
def test_a_screen_item_with_a_warning_word_is_noted_not_an_alarm(rest, sender, kb, told, caution):
    """An allergy or a tendency to bleed told as an answer is a caution, not a reaction happening now:
    no alarm, and the questionnaire goes on (the warning signs may come with it: safety-netting)."""
    rest.send(sender, "start the questions")
    for answer in ANSWERS:
        rest.send(sender, answer)
    replies = texts(rest.send(sender, told))
    assert f"Noted: {kb.option('cautions', caution).title}." in replies
    assert "or your local emergency number, now" not in replies and "I've stopped everything" not in replies
    assert kb.questions["cautions_more"]["text"] in replies
    assert caution in rest.tracker(sender)["slots"]["cautions"]


def test_the_checklist_sends_several_screen_items_at_once(rest, sender, kb):
    """The widget's checklist: the ticked items and "None of these" in one payload end the check."""
    rest.send(sender, "start the questions")
    for answer in ANSWERS:
        rest.send(sender, answer)
    answer = unexplained(kb, texts(rest.send(sender, '/inform{"caution": ["pregnancy", "keloids", "none"]}')))
    for caution in ("pregnancy", "keloids"):
        assert kb.option("cautions", caution).note in answer
    slots = rest.tracker(sender)["slots"]
    assert slots["cautions"] == ["pregnancy", "keloids"] and slots["cautions_done"] is True
