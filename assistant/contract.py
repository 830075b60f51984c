"""The names and numbers the NLU components, the actions, the servers and the tools share.

Intents, entities, slots, the form, the keys the NLU components add to a
parse result, and the thresholds that decide what is sure enough. Each is
written here once; `tests/unit/test_contract.py` checks them against
`domain/dialogue.yml`, `config.yml` and `data/rules/`.
"""
from __future__ import annotations

# -- intents ----------------------------------------------------------------
GREET = "greet"
GOODBYE = "goodbye"
THANK = "thank"
BOT_CHALLENGE = "bot_challenge"
HELP = "help"
RESTART = "restart_conversation"
OUT_OF_SCOPE = "out_of_scope"
DESCRIBE_CONCERN = "describe_concern"
AFFIRM = "affirm"
DENY = "deny"
INFORM = "inform"
SKIP = "skip"
START_QUESTIONNAIRE = "start_questionnaire"
STOP_QUESTIONNAIRE = "stop_questionnaire"
CONTINUE_QUESTIONNAIRE = "continue_questionnaire"
SHOW_SUMMARY = "show_summary"
ASK_CAUTION = "ask_caution"
ASK_DIAGNOSIS = "ask_diagnosis"
ASK_PRESCRIPTION = "ask_prescription"
DELETE_MY_DATA = "delete_my_data"
ASK_QUESTION = "ask_question"
OPEN_CONSULTATION = "open_consultation"
FOLLOW_UP = "follow_up"
NLU_FALLBACK = "nlu_fallback"
RED_FLAG_PREFIX = "red_flag_"
SELF_HARM = "self_harm"
# The kinds of red flag in assistant/knowledge/red_flags.yml, in the order they win.
RED_FLAG_KINDS = (
    "self_harm_plan", SELF_HARM, "allergy", "numbing", "emergency_signs", "sepsis", "vision_loss", "hives",
    "infection", "pain", "eye", "cold_sore", "burn", "bleeding", "lumps", "mole",
)
# Every intent of the domain, in its order.
INTENTS = (
    GREET, GOODBYE, THANK, BOT_CHALLENGE, HELP, RESTART, OUT_OF_SCOPE, DESCRIBE_CONCERN, AFFIRM, DENY, INFORM, SKIP,
    START_QUESTIONNAIRE, STOP_QUESTIONNAIRE, CONTINUE_QUESTIONNAIRE, SHOW_SUMMARY, ASK_CAUTION, ASK_DIAGNOSIS,
    ASK_PRESCRIPTION, DELETE_MY_DATA, ASK_QUESTION, OPEN_CONSULTATION, FOLLOW_UP,
    *(RED_FLAG_PREFIX + kind for kind in RED_FLAG_KINDS),
)

# Intents whose message is never an answer to a questionnaire question (the
# `not_intent` of the form slots' `from_text` mappings in domain/dialogue.yml). The
# safety check's own answers may come as a caution question ("I'm pregnant").
NOT_ANSWERS = (
    ASK_QUESTION, FOLLOW_UP, *(RED_FLAG_PREFIX + kind for kind in RED_FLAG_KINDS), STOP_QUESTIONNAIRE,
    CONTINUE_QUESTIONNAIRE, SHOW_SUMMARY, ASK_DIAGNOSIS, ASK_PRESCRIPTION, BOT_CHALLENGE,
    HELP, GREET, GOODBYE, OUT_OF_SCOPE, RESTART, THANK, START_QUESTIONNAIRE, ASK_CAUTION, DELETE_MY_DATA,
    OPEN_CONSULTATION,
)
NOT_CAUTION_ANSWERS = tuple(i for i in NOT_ANSWERS if i != ASK_CAUTION)
# Requests that win over an answer to the questionnaire, whatever else the message says.
REQUESTS = (STOP_QUESTIONNAIRE, CONTINUE_QUESTIONNAIRE, SHOW_SUMMARY, RESTART, DELETE_MY_DATA, OPEN_CONSULTATION)
# Intents after which a red-flag reply is not repeated: the visitor closes, asks for something else,
# or goes on to a concern.
LEAVES_AN_ALARM = (THANK, GOODBYE, GREET, START_QUESTIONNAIRE, DESCRIBE_CONCERN, *REQUESTS)
# Intents of a message that asks something: with a question mark it is a question mid-questionnaire,
# without one its words may still answer the question asked ("epilepsy, I take tablets for it").
ASKING = (ASK_QUESTION, FOLLOW_UP, ASK_CAUTION, ASK_DIAGNOSIS, ASK_PRESCRIPTION, BOT_CHALLENGE, HELP)
# Intents that the assistant's own buttons send (a typed payload of any other is read as text).
BUTTON_INTENTS = frozenset({
    DESCRIBE_CONCERN, INFORM, START_QUESTIONNAIRE, DENY, CONTINUE_QUESTIONNAIRE, STOP_QUESTIONNAIRE,
    DELETE_MY_DATA, FOLLOW_UP, OPEN_CONSULTATION,
})

# -- entities ---------------------------------------------------------------
CONCERN = "concern"
RED_FLAG = "red_flag"
BODY_AREA = "body_area"
DURATION = "duration"
SKIN_REACTION = "skin_reaction"
TREATMENT = "treatment"
CAUTION = "caution"
# Sent only by buttons: which detail of which concern or FAQ topic, which consultation link.
DETAIL = "detail"
TOPIC = "topic"
LINK = "link"
# The `extractor` of a concern entity the whole-message classifier added.
WHOLE_MESSAGE_EXTRACTOR = "ConcernClassifier"
PATTERN_EXTRACTOR = "SpacyEntityExtractor"

# -- keys the NLU components add to a parse result ---------------------------
CONCERN_RANKING = "concern_ranking"
QUESTION_RANKING = "question_ranking"
# The safety reader's reading of a message (assistant.safety.triage.Reading).
SAFETY = "safety"
# The key, in a bot message's metadata, of the source of its content (decisions.Reply.source).
REPLY_SOURCE = "reply_source"

# -- slots and the form -----------------------------------------------------
CONCERN_SLOT = "concern"
SUGGESTED_SLOT = "suggested_concerns"
CONFIRMING_SLOT = "confirming_concern"
LAST_TOPIC_SLOT = "last_topic"
SWITCH_SLOT = "switch_concern"
INVALID_COUNT_SLOT = "invalid_answers"
CAUTIONS_SLOT = "cautions"
CAUTIONS_DONE_SLOT = "cautions_done"
REQUESTED_SLOT = "requested_slot"
FORM = "questionnaire_form"
# The questions, in the order the form asks them.
FORM_SLOTS = ("concern", "body_area", "duration", "skin_reaction", "treatments", "cautions_done")
# Everything the summary and its PDF are made from.
ANSWER_SLOTS = ("concern", "body_area", "duration", "skin_reaction", "treatments", "cautions", "cautions_done")
# Each form slot (but the concern), the option group that answers it and the entity its buttons set.
SLOT_GROUPS = {
    "body_area": ("body_area", BODY_AREA),
    "duration": ("duration", DURATION),
    "skin_reaction": ("skin_reaction", SKIN_REACTION),
    "treatments": ("treatments", TREATMENT),
    "cautions_done": ("cautions", CAUTION),
}
# An answer the visitor chose not to give ("skip", "I don't know").
NOT_GIVEN = "not_given"
NONE_OF_THESE = "none"

# -- actions the servers must know by name ----------------------------------
DELETE_ACTION = "action_delete_my_data"
OFFER_CONCERNS_ACTION = "action_offer_concerns"
FALLBACK_ACTION = "action_default_fallback"

# -- what a button may ask for ----------------------------------------------
# A concern's details, shown on request under its first answer.
DETAILS = ("evidence", "expectations", "options", "cautions")
SOURCES = "sources"
# The aftercare answer (assistant/aftercare.py): its sources button's topic and its reply's source.
AFTERCARE = "aftercare"
# Frequent questions about recovery that, after a recent treatment, get the aftercare answer.
RECOVERY_TOPICS = ("normal_recovery", "downtime_aftercare", "redness_duration", "next_day_look")
# Details of microneedling in general, offered at the end of the questionnaire.
GENERAL_DETAILS = ("procedure", "questions")
ALL_DETAILS = (*DETAILS, SOURCES, *GENERAL_DETAILS)
# The topic of the procedure's own sources (general information on microneedling).
PROCEDURE = "procedure"
LINKS = ("booking", "call", "email")
# Topics answered from clinic.yml, and two the decisions name.
CLINIC_TOPICS = ("clinic_hours", "clinic_contact")
AREAS_TOPIC = "what_areas"
NORMAL_RECOVERY_TOPIC = "normal_recovery"

# -- thresholds -------------------------------------------------------------
# A question-topic confidence under this is no known question: its answer is not given.
TOPIC_MINIMUM = 0.35
# The best guess of a message that was not understood must reach this
# confidence to be offered for confirmation; below it the visitor gets every
# concern to choose from. A message understood as describing a concern needs
# only to lean to one (gibberish leans to none).
CONFIRM_MINIMUM = 0.1
LEANING_MINIMUM = 0.05
MAX_CANDIDATES = 3

# -- the safety reader (assistant/safety/triage.py) --------------------------
# Chosen by cross-validation over the safety corpus and the NLU data for no
# under-triage of emergencies with few false alarms (`python -m
# evaluation.safety --cross-validation`), then checked on the old blind sets.
# Self-harm: the two self-harm kinds together; a plan at this confidence is one. Under SELF_HARM_SURE
# and from SELF_HARM_POSSIBLE, the answer comes with the crisis lines.
SELF_HARM_SURE = 0.55
# ... and this confident when the intent classifier is sure of something else ("I feel like everyone
# stares at my acne scars" is a concern described, with feeling).
SELF_HARM_SURE_UNDERSTOOD = 0.7
SELF_HARM_PLAN = 0.3
SELF_HARM_POSSIBLE = 0.15
# The classifier alone is sure when the kinds of a level and of every more urgent one together reach this.
LEVEL_SURE = {"emergency": 0.5, "urgent": 0.7, "soon": 0.8}
# Any kind this likely is possible: its warning signs come with the answer, and a
# recent treatment or an earlier message of the same kind makes it sure.
DANGER_POSSIBLE = 0.35
# A red-flag phrase counts when the classifier gives the message this chance of danger (by the phrase's level).
PHRASE_CONFIRM = {"emergency": 0.05, "urgent": 0.2, "soon": 0.05}
# A self-harm phrase counts when the classifier gives self-harm this chance ("suicide" in a book review does not).
SELF_HARM_PHRASE_CONFIRM = 0.03
# Intents that are harmless when the intent classifier is this sure of them: the
# classifier alone does not raise an alarm on them.
HARMLESS_INTENTS = (GREET, GOODBYE, THANK, BOT_CHALLENGE, AFFIRM, DENY, SKIP, RESTART, SHOW_SUMMARY,
                    START_QUESTIONNAIRE, STOP_QUESTIONNAIRE, CONTINUE_QUESTIONNAIRE, DELETE_MY_DATA, OPEN_CONSULTATION)
HARMLESS_CONFIDENCE = 0.8
# An intent classifier's red flag counts when it is this sure of it (self-harm when it is this sure).
CLASSIFIED_RED_FLAG = 0.7
CLASSIFIED_SELF_HARM = 0.5
# The intent classifier understood the message as something other than a red flag with this confidence.
UNDERSTOOD_CONFIDENCE = 0.8
