"""End to end over the REST channel, with the real Rasa server and action server."""
from __future__ import annotations

import pytest

from harness.servers import texts
from tests.shown import unexplained

pytestmark = pytest.mark.e2e

REALISTIC_MESSAGES = {
    "acne_scars": "I've had little holes left from pimples on my cheeks since I was 16",
    "scars": "there's a scar from my knee surgery that still looks angry",
    "stretch_marks": "tiger stripes after my twins, can microneedling do anything?",
    "hyperpigmentation": "the dark marks my breakouts left behind just won't fade",
    "wrinkles": "the fine lines round my eyes are getting deeper",
    "loose_skin": "after losing 30 kg my skin is hanging and saggy on my arms",
    "texture_tone": "my skin looks dull and my pores are huge",
}


@pytest.mark.parametrize("concern_id", sorted(REALISTIC_MESSAGES))
def test_each_concern_is_recognised_and_answered(rest, sender, kb, concern_id):
    replies = rest.send(sender, REALISTIC_MESSAGES[concern_id])
    assert rest.slot(sender, "concern") == [concern_id]
    notice = replies[0]["text"]
    assert notice.startswith("Before we start") and "delete my data" in notice
    concern = kb.get(concern_id)
    info = next(r for r in replies if r.get("text", "").startswith(f"{concern.name}:"))
    assert info["text"].startswith(f"{concern.name}:") and concern.short in unexplained(kb, info["text"])
    assert "qualified professional" in info["text"].splitlines()[-1]
    assert info["buttons"][-1]["payload"] == "/start_questionnaire"
    detail = rest.send(sender, info["buttons"][0]["payload"])
    assert concern.details["evidence"] in unexplained(kb, detail[0]["text"])
    assert "qualified professional" in detail[0]["text"].splitlines()[-1]


def test_several_concerns_in_one_message(rest, sender):
    replies = rest.send(sender, "I hate my acne scars, my stretch marks and the sagging on my neck")
    assert rest.slot(sender, "concern") == ["acne_scars", "stretch_marks", "loose_skin"]
    infos = [r["text"] for r in replies if r.get("buttons") and r["buttons"][-1]["payload"] == "/start_questionnaire"]
    assert len(infos) == 3 and all("qualified professional" in t.splitlines()[-1] for t in infos)


def test_greeting_carries_the_disclaimer(rest, sender):
    answer = texts(rest.send(sender, "hello"))
    assert "general information" in answer and "can't diagnose" in answer


def test_out_of_scope_guesses_no_concern(rest, sender):
    answer = texts(rest.send(sender, "what's the weather today?"))
    assert "outside what I can help with" in answer
    assert rest.slot(sender, "concern") is None


def test_nonsense_gets_the_concerns_as_buttons(rest, sender, kb):
    replies = rest.send(sender, "qwzx blorp fnargh")
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert len(buttons) == len(kb.ids)
    follow_up = rest.send(sender, buttons[0])
    assert rest.slot(sender, "concern") == [kb.ids[0]]
    assert "qualified professional" in texts(follow_up)


@pytest.mark.parametrize(
    "message, expected",
    [("are you a bot?", "automated assistant"), ("what can you do?", "In your own words".lower()),
     ("thanks!", "You're welcome"), ("bye", "Take care")],
)
def test_small_talk(rest, sender, message, expected):
    assert expected.lower() in texts(rest.send(sender, message)).lower()


def test_start_over_clears_the_concern(rest, sender):
    rest.send(sender, "I have stretch marks")
    answer = texts(rest.send(sender, "let's start over"))
    assert "start over" in answer
    assert rest.slot(sender, "concern") is None


DESCRIBED_NOT_NAMED = {
    "texture_tone": "my face has lost its glow, it looks grey and flat in every photo",
    "loose_skin": "my jawline has dropped and the skin under my chin hangs",
    "stretch_marks": "pale zigzag lines on my hips since my growth spurt",
    "wrinkles": "crinkles around my mouth when I smile",
}


@pytest.mark.parametrize("concern_id", sorted(DESCRIBED_NOT_NAMED))
def test_a_concern_described_without_its_name_is_recognised(rest, sender, kb, concern_id):
    replies = rest.send(sender, DESCRIBED_NOT_NAMED[concern_id])
    assert rest.slot(sender, "concern") == [concern_id]
    assert any(r.get("text", "").startswith(f"{kb.get(concern_id).name}:") for r in replies)


CAUTIONS_WITH_CONCERNS = {
    "pregnancy": ("I'm pregnant, is microneedling ok for my stretch marks?", "stretch_marks"),
    "isotretinoin": ("I'm on roaccutane, could microneedling help my acne scars?", "acne_scars"),
    "blood_thinners": ("I take warfarin, can I have my wrinkles treated with microneedling?", "wrinkles"),
    "keloids": ("I get keloids, would microneedling work on my surgery scar?", "scars"),
    "slow_healing": ("I'm diabetic, can microneedling help the dark spots on my face?", "hyperpigmentation"),
    "active_skin_condition": ("my eczema is flaring up, can microneedling help my large pores?", "texture_tone"),
    "cold_sore_history": ("I get cold sores a lot, can microneedling help my large pores?", "texture_tone"),
}


@pytest.mark.parametrize("caution_id", sorted(CAUTIONS_WITH_CONCERNS))
def test_a_caution_with_a_concern_gets_both_in_the_same_turn(rest, sender, kb, caution_id):
    message, concern_id = CAUTIONS_WITH_CONCERNS[caution_id]
    replies = [unexplained(kb, r["text"]) for r in rest.send(sender, message) if r.get("text")]
    note = kb.option("cautions", caution_id).note
    caution_reply = next(t for t in replies if note in t)
    assert "I can't say whether microneedling is right or safe for you" in caution_reply
    concern_reply = next(t for t in replies if t.startswith(f"{kb.get(concern_id).name}:"))
    assert replies.index(caution_reply) < replies.index(concern_reply)
    assert "qualified professional" in concern_reply.splitlines()[-1]
    assert rest.slot(sender, "concern") == [concern_id]


SCREEN_QUESTIONS = {
    "under_18": "I'm 16, can I get microneedling?",
    "metal_or_numbing_allergy": "I'm allergic to nickel",
    "autoimmune_skin": "I have vitiligo, is microneedling ok?",
    "recent_skin_treatment": "I had a peel last week, can I still have microneedling?",
    "weak_immunity": "I'm on immunosuppressants, is microneedling safe?",
    "radiotherapy": "I had radiotherapy on my face, can I get it done?",
}


@pytest.mark.parametrize("caution_id", sorted(SCREEN_QUESTIONS))
def test_a_safety_screen_item_asked_about_gets_its_note_first(rest, sender, kb, caution_id):
    notice = " ".join(kb.general["privacy_notice"].split()[:8])  # a first message gets it first
    replies = [r["text"] for r in rest.send(sender, SCREEN_QUESTIONS[caution_id])
               if r.get("text") and not r["text"].startswith(notice)]
    assert kb.option("cautions", caution_id).note in replies[0]
    assert "I can't say whether microneedling is right or safe for you" in replies[0]
    assert "qualified professional" in replies[0]


def test_the_caution_text_is_the_same_as_for_the_caution_alone(rest, sender, kb):
    alone = [r["text"] for r in rest.send(sender, "I'm on roaccutane, can I have microneedling?")][-1]
    combined = [r["text"] for r in rest.send(sender, "I'm on roaccutane and want my acne scars treated")]
    assert alone in combined


def test_a_question_about_a_concern_is_answered_for_that_concern(rest, sender, kb):
    answer = unexplained(kb, texts(rest.send(sender, "how many sessions would I need for acne scars?")))
    assert kb.faq["sessions"].answer in answer
    assert kb.get("acne_scars").questions["sessions"] in answer
    assert rest.slot(sender, "concern") == ["acne_scars"]


def test_a_breakout_question_gets_the_active_acne_caution(rest, sender, kb):
    answer = unexplained(kb, texts(rest.send(sender, "can I still get microneedling while I'm breaking out?")))
    assert kb.option("cautions", "active_skin_condition").note in answer


AMBIGUOUS = "I have marks on my skin"


def confirmation(replies):
    return next(r for r in replies if r.get("text", "").startswith("It sounds like"))


def test_when_unsure_it_confirms_with_a_few_concerns_not_seven(rest, sender, kb):
    offer = confirmation(rest.send(sender, AMBIGUOUS))
    titles = [b["title"] for b in offer["buttons"]]
    assert 2 <= len(titles) <= 4 and titles[-1] == "Something else"
    assert rest.slot(sender, "concern") is None
    first = next(c for c in kb.concerns.values() if c.name == titles[0])
    # "yes" answers the suggested concern
    replies = rest.send(sender, "yes")
    assert replies[0]["text"].startswith(f"{first.name}:")
    assert rest.slot(sender, "concern") == [first.id]
    # and the questionnaire offer that follows works as usual
    assert kb.questions["body_area"]["text"] in texts(rest.send(sender, "yes please"))


def test_a_suggested_concern_can_be_picked_or_declined(rest, sender, kb):
    offer = confirmation(rest.send(sender, AMBIGUOUS))
    second = offer["buttons"][1]
    assert texts(rest.send(sender, second["payload"])).startswith(f"{second['title']}:")
    other = f"{sender}-2"
    confirmation(rest.send(other, AMBIGUOUS))
    listing = rest.send(other, "no")
    assert listing[0]["text"] == kb.general["which_concern"]
    assert len(listing[0]["buttons"]) == len(kb.ids)
    assert rest.slot(other, "concern") is None


EVERYDAY_QUESTIONS = {
    "compare_microdermabrasion": "how does it compare with microdermabrasion?",
    "makeup_after": "can I wear make-up the day after?",
    "darker_skin": "is it ok for dark skin?",
}


@pytest.mark.parametrize("topic", sorted(EVERYDAY_QUESTIONS))
def test_everyday_questions_get_their_answer_and_no_alarm(rest, sender, kb, topic):
    answer = unexplained(kb, texts(rest.send(sender, EVERYDAY_QUESTIONS[topic])))
    assert kb.faq[topic].answer in answer
    assert "qualified professional" in answer.splitlines()[-1]
    assert "emergency" not in answer.split(kb.faq[topic].answer)[0].lower()


def test_follow_ups_lean_on_the_conversation(rest, sender, kb):
    rest.send(sender, "I have acne scars")
    answer = unexplained(kb, texts(rest.send(sender, "how many sessions would I need?")))
    assert kb.get("acne_scars").questions["sessions"] in answer
    answer = unexplained(kb, texts(rest.send(sender, "is it the same for stretch marks?")))
    assert kb.get("stretch_marks").questions["sessions"] in answer


def test_a_follow_up_about_a_place_answers_where_it_can_be_done(rest, sender, kb):
    rest.send(sender, "I have wrinkles")
    answer = unexplained(kb, texts(rest.send(sender, "and under my eyes?")))
    assert kb.faq["what_areas"].answer in answer
    # the first answer had the recommendation in full: this one has it in one line
    assert answer.splitlines()[-1] == kb.general["short_recommendation"]


def test_a_question_no_faq_covers_gets_the_closest_passage_as_general_information(rest, sender, kb):
    replies = [r["text"] for r in rest.send(sender, "what is the evidence for melasma?")]
    answer = unexplained(kb, replies[-1])
    assert answer.startswith(kb.general["retrieved_intro"])
    assert kb.get("hyperpigmentation").details["evidence"] in answer
    assert answer.splitlines()[-1] == kb.recommendation(kb.get("hyperpigmentation"))



IS_THIS_NORMAL = ["is this normal?", "my face is red the day after microneedling, is that normal?",
                  "my skin is peeling, is this normal?"]


@pytest.mark.parametrize("message", IS_THIS_NORMAL)
def test_is_this_normal_gets_the_recovery_answer_not_a_refusal(rest, sender, kb, message):
    """Without a treatment told of, the frequent question's answer; with one, what to expect on that day."""
    answer = unexplained(kb, texts(rest.send(sender, message)))
    if "microneedling" in message:
        assert kb.aftercare["warning"] in answer and "normal" in answer.split(kb.aftercare["warning"])[0]
    else:
        assert kb.faq["normal_recovery"].answer in answer
    assert "can't tell what a mark" not in answer and "emergency number" not in answer


def test_flaking_days_after_a_treatment_gets_what_to_expect_then_and_no_alarm(rest, sender, kb):
    message = "my skin is flaking two days after microneedling, is that normal?"
    answer = unexplained(kb, texts(rest.send(sender, message)))
    first = answer.split(kb.aftercare["warning"])[0]
    assert "You had your treatment" in first and "flak" in first
    assert "qualified professional" in answer and "emergency number" not in first


RED_FLAG_REPLIES = {
    "I feel dizzy and my heart is racing since they put the numbing cream on":
        ("or your local emergency number, now", "Numbing cream can get into the blood", "Wipe the cream off"),
    "I'm having an allergic reaction, I've come out in hives after the serum":
        ("or your local emergency number, now", "allergic reaction"),
    "two days after microneedling my lip tingles and there are small blisters":
        ("or a doctor, today", "cold sore"),
    "a cold sore has come up on my eyelid after the treatment": ("urgent care", "eye"),
    "I still have hard lumps on my cheeks six weeks after microneedling": ("granuloma", "within two weeks"),
    "a dark spot on my cheek keeps getting bigger": ("within two weeks", "Don't have microneedling"),
    "could my age spot be skin cancer?": ("within two weeks", "skin cancer"),
}


@pytest.mark.parametrize("message", sorted(RED_FLAG_REPLIES))
def test_each_red_flag_gets_its_own_reply(rest, sender, message):
    answer = texts(rest.send(sender, message))
    assert all(part in answer for part in RED_FLAG_REPLIES[message]), answer


LOOK_ALIKE_QUESTIONS = ["can microneedling cause an allergic reaction?", "what numbing cream do you use?",
                        "I get cold sores, can I still have it?", "a new pimple came up on my chin"]


@pytest.mark.parametrize("message", LOOK_ALIKE_QUESTIONS)
def test_questions_that_name_a_red_flag_get_no_alarm(rest, sender, message):
    answer = texts(rest.send(sender, message))
    assert "emergency" not in answer.lower() and "urgent care" not in answer and "within two weeks" not in answer


def test_the_rasa_server_answers_without_loading_tensorflow(rest, sender):
    """No component of the model needs TensorFlow, so the server (channels/server.py) never loads it."""
    assert rest.send(sender, "I have acne scars")
    assert rest.pid is not None
    with open(f"/proc/{rest.pid}/maps", encoding="utf-8") as maps:
        libraries = {line.split()[-1] for line in maps if "/" in line}
    assert not [path for path in libraries if "tensorflow" in path], "the Rasa server loaded TensorFlow"
    assert [path for path in libraries if "/sklearn/" in path], "the server's libraries could not be read"
