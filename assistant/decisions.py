"""Which reply a message gets: the decisions behind every custom action, as pure functions.

Each decision takes the message's parse result, the conversation's `State`,
the knowledge base and the clinic, and returns a `Reply`: the messages to
send, the slots to set and the `source` of its main content (`concern:<id>`,
`confirm:<id>`, `faq:<topic>`, a retrieved passage's key, `caution:<id>`,
`detail:<concern or topic>:<detail>`...). The actions in `actions/` send
what a decision returns; the evaluation in `evaluation/` scores the same
replies, so a blind figure measures what a visitor gets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from assistant import contract as c
from assistant.aftercare import aftercare_messages, asks_aftercare
from assistant.clinic import Clinic
from assistant.follow_ups import about_concern, concern_in_question, follow_up_detail
from assistant.compose import (
    Button, Message, caution_text, closing_recommendation, concern_buttons, confirmation, detail_buttons,
    detail_text, explain_terms, first_answer, lower_name, shorten_recommendation, sources_button, sources_list,
)
from assistant.knowledge_base import Concern, Faq, KnowledgeBase
from assistant.next_step import clinic_answer, consultation_buttons, next_step_message, opened_text
from assistant.privacy import delete_button
from assistant.questionnaire import general_buttons, summary_messages
from assistant.requests import may_request
from assistant.retrieval import retriever
from assistant.safety.triage import assess_latest
from assistant.state import State
from assistant.tailoring import procedure_messages, questions_text
from assistant.understanding import (
    Parse, caution_options, concern_candidates, entity_values, intent_of, mentioned_areas, named_concerns,
    question_topic, text_of,
)


@dataclass
class Reply:
    """What the assistant answers to one message."""

    source: str
    messages: List[Message] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    # Forget the message (Rasa's fallback: the conversation goes on from where it was).
    revert: bool = False

    def say(self, text: str, buttons: Sequence[Button] = ()) -> "Reply":
        self.messages.append((text, list(buttons)))
        return self

    def extend(self, other: "Reply") -> "Reply":
        """This reply followed by another's messages and slots; the other's source is the main one."""
        self.messages += other.messages
        self.slots.update(other.slots)
        self.source = other.source
        return self


Decision = Callable[[Parse, State, KnowledgeBase, Optional[Clinic]], Reply]


def conversation_concerns(state: State, kb: KnowledgeBase) -> List[Concern]:
    """The known concerns of the conversation so far."""
    return [kb.concerns[i] for i in state.concerns() if kb.get(i)]


def clear_suggestion() -> Dict[str, Any]:
    """The slots that close a confirmation question."""
    return {c.SUGGESTED_SLOT: None, c.CONFIRMING_SLOT: None}


def concerns_reply(kb: KnowledgeBase, found: Optional[Clinic], ids: Sequence[str]) -> Reply:
    """A short first answer on each concern, with buttons for the detail and the questionnaire, then the next step."""
    reply = Reply(f"concern:{ids[0]}")
    if len(ids) > 1:
        reply.say(kb.general["several_concerns"])
    for concern_id in ids:
        concern = kb.concerns[concern_id]
        reply.say(first_answer(kb, concern), detail_buttons(kb, concern))
    return reply.say(*next_step_message(kb, found))


def offer_concerns(
    parse: Parse, state: State, kb: KnowledgeBase, not_understood: bool = False,
    minimum: float = c.CONFIRM_MINIMUM, only_confirm: bool = False,
) -> Reply:
    """Confirm the likeliest concerns of the message, or send every concern as a button.

    `minimum`: how sure the best guess must be to be offered (less for a
    message understood as describing a concern); `only_confirm`: send nothing
    when there is no guess to confirm.
    """
    candidates = concern_candidates(parse, kb, minimum)
    if candidates:
        return Reply(f"confirm:{candidates[0]}", [confirmation(kb, candidates)],
                     {c.SUGGESTED_SLOT: candidates, c.CONFIRMING_SLOT: True})
    if only_confirm:
        return Reply("")
    prompt = kb.general["not_understood"] if not_understood else kb.general["which_concern"]
    slots = clear_suggestion() if state.slot(c.SUGGESTED_SLOT) else {}
    return Reply("offer_concerns", [(prompt, concern_buttons(kb))], slots)


def answer_concern(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """The message's cautions and concerns from the knowledge base (`action_concern_info`).

    A caution named with a concern ("I have acne scars and take isotretinoin")
    is answered first, with the same text as the caution alone. A message that
    named no concern gets a confirmation of the likeliest ones, or the list;
    a "yes" to the confirmation answers the suggested concern.
    """
    suggested = [i for i in state.suggested() if kb.get(i)]
    clear = clear_suggestion() if suggested else {}
    cautions = caution_options(parse, kb)
    reply = Reply(f"caution:{cautions[0].id}", [(caution_text(kb, cautions), [])]) if cautions else Reply("")
    concerns = named_concerns(parse, kb)
    if concerns:
        return reply.extend(concerns_reply(kb, found, concerns)).extend(Reply(f"concern:{concerns[0]}", slots=clear))
    if suggested and intent_of(parse) == c.AFFIRM:
        chosen = Reply(f"concern:{suggested[0]}", slots={c.CONCERN_SLOT: suggested[:1], **clear})
        return reply.extend(concerns_reply(kb, found, suggested[:1])).extend(chosen)
    if cautions:
        reply.slots.update(clear)
        return reply
    offer = offer_concerns(parse, state, kb, minimum=c.LEANING_MINIMUM)
    return offer if offer.slots else Reply(offer.source, offer.messages, clear)


def offer_when_not_understood(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """A message that was not understood, or a declined suggestion: confirm or list the concerns."""
    if state.slot(c.SUGGESTED_SLOT) and intent_of(parse) == c.DENY:
        return Reply("offer_concerns", [(kb.general["which_concern"], concern_buttons(kb))], clear_suggestion())
    return offer_concerns(parse, state, kb, not_understood=True)


def not_understood(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """No rule fits the conversation: offer the concerns and forget the message."""
    return Reply("not_understood", [(kb.general["not_understood"], concern_buttons(kb))], revert=True)


def faq_messages(kb: KnowledgeBase, faq: Faq, concerns: List[Concern], named: bool) -> List[Message]:
    """The FAQ's answer (one idea per message), what is particular to each concern, and who to see.

    A concern named in the message always gets a line; the conversation's
    concern only where the knowledge base says something particular. The
    last message carries the recommendation and a button for the sources.
    """
    texts = [explain_terms(kb, f"{faq.question} {faq.answer}")]
    texts += [explain_terms(kb, faq.more)] if faq.more else []
    notes = []
    for concern in concerns:
        note = concern.questions.get(faq.key)
        if note or named:
            notes.append(note or kb.general["faq_no_concern_detail"].format(concern=lower_name(concern)))
    last = [explain_terms(kb, " ".join(notes))] if notes else [texts.pop()]
    messages: List[Message] = [(text, []) for text in texts]
    closing = "\n".join(last + [closing_recommendation(kb, concerns)])
    return messages + [(closing, [sources_button(kb, topic=faq.key)])]


def answer_question(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """The message's question, in the context of the conversation's concern (`action_answer_faq`).

    A known topic gets its knowledge-base answer (and, for the concern named
    in the message or discussed before, what is particular to it). Another
    question about microneedling or skin gets the most relevant passage of
    the knowledge base, said to be general information; anything else gets
    what the assistant can talk about. A caution named with the question
    ("I'm on isotretinoin, does it hurt?") is answered first, as it would be
    alone. A question that leans to a concern without naming it ("my jawline
    is kind of melting?"), with no concern in the conversation yet, also gets
    the confirmation of that concern.
    """
    reply = Reply("not_known")
    cautions = caution_options(parse, kb)
    if cautions:
        reply.say(caution_text(kb, cautions))
    named = named_concerns(parse, kb)
    concerns = [kb.concerns[i] for i in named] if named else conversation_concerns(state, kb)
    faq = question_topic(parse, kb)
    about_clinic = clinic_answer(kb, found, faq.key, text_of(parse)) if faq and faq.key in c.CLINIC_TOPICS else None
    if faq is not None and about_clinic is not None:
        return reply.extend(Reply(f"faq:{faq.key}", [about_clinic], {c.LAST_TOPIC_SLOT: faq.key}))
    answer: Optional[Reply]
    if faq is not None:
        answer = Reply(f"faq:{faq.key}", faq_messages(kb, faq, concerns, named=bool(named)),
                       {c.LAST_TOPIC_SLOT: faq.key})
    else:
        answer = passage_reply(kb, text_of(parse), concerns)
        if answer is None and not cautions:
            reply.say(kb.general["question_not_known"])
    if answer is not None:
        reply.extend(answer)
    if not concerns:
        suggestion = offer_concerns(parse, state, kb, only_confirm=True)
        reply.messages += suggestion.messages
        reply.slots.update(suggestion.slots)
    return reply


def passage_reply(kb: KnowledgeBase, question: str, concerns: List[Concern]) -> Optional[Reply]:
    """The knowledge base's most relevant passage for a question no topic covers, or None."""
    passage = retriever().best(question)
    if passage is None:
        return None
    text = explain_terms(kb, f"{passage.title}: {passage.text}")
    lines = [kb.general["retrieved_intro"], text, closing_recommendation(kb, concerns)]
    buttons = [sources_button(kb, **dict(passage.about))] if passage.about else []
    return Reply(passage.key, [("\n".join(lines), buttons)])


def answer_detail(parse: Parse, state: State, kb: KnowledgeBase, detail: str) -> Reply:
    """The detail a button asked for, about its concern or topic (or the conversation's concern)."""
    topic = next(iter(entity_values(parse, c.TOPIC)), None)
    named = [i for i in entity_values(parse, c.CONCERN) if i in kb.concerns]
    ids = named or [i.id for i in conversation_concerns(state, kb)]
    concern = kb.concerns[ids[0]] if ids else None
    concerns = conversation_concerns(state, kb)
    if detail == c.SOURCES and topic == c.PROCEDURE:
        text = sources_list(kb, kb.procedure["sources"], kb.procedure["heading"].lower())
        return Reply(f"detail:{c.PROCEDURE}:{detail}", [(text, general_buttons(kb, concerns, c.SOURCES))])
    if detail == c.SOURCES and topic == c.AFTERCARE:
        return Reply(f"detail:{c.AFTERCARE}:{detail}", [(sources_list(kb, kb.aftercare["sources"]), [])])
    if detail == c.SOURCES and topic in kb.faq:
        faq = kb.faq[str(topic)]
        return Reply(f"detail:{faq.key}:{detail}", [(sources_list(kb, faq.sources, f'"{faq.question}"'), [])])
    if detail in c.GENERAL_DETAILS:
        texts = procedure_messages(kb) if detail == c.PROCEDURE else [questions_text(kb)]
        messages: List[Message] = [(text, []) for text in texts[:-1]]
        return Reply(f"detail:{detail}", messages + [(texts[-1], general_buttons(kb, concerns, detail))])
    if concern is not None and detail in (*c.DETAILS, c.SOURCES):
        return Reply(f"detail:{concern.id}:{detail}",
                     [(detail_text(kb, concern, detail), detail_buttons(kb, concern, detail))])
    return Reply("offer_concerns", [(kb.general["which_concern"], concern_buttons(kb))])


def follow_up(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """A follow-up that leans on the conversation: "is it the same for stretch marks?", "and my neck?".

    A detail asked for by a button ("how well it works", "sources") gets
    that detail. A concern named in it gets the last question's answer for that concern
    (or its information, when no question was asked yet); a place on the body
    gets the answer on which areas can be treated, for the conversation's
    concern, unless the message clearly asks another question ("how do I
    wash my face after?"); anything else is treated as a new question.
    """
    detail = next(iter(entity_values(parse, c.DETAIL)), None)
    if detail is not None:
        return answer_detail(parse, state, kb, detail)
    named = named_concerns(parse, kb)
    last = kb.faq.get(str(state.slot(c.LAST_TOPIC_SLOT) or ""))
    if named and last is not None:
        return Reply(f"faq:{last.key}", faq_messages(kb, last, [kb.concerns[i] for i in named], named=True))
    if named:
        return concerns_reply(kb, found, named)
    asked = question_topic(parse, kb)
    if mentioned_areas(parse, kb) and (asked is None or asked.key == c.AREAS_TOPIC):
        areas = kb.faq[c.AREAS_TOPIC]
        return Reply(f"faq:{c.AREAS_TOPIC}", faq_messages(kb, areas, conversation_concerns(state, kb), named=False),
                     {c.LAST_TOPIC_SLOT: c.AREAS_TOPIC})
    return answer_question(parse, state, kb, found)


def answer_caution(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """Name the visitor's situation, explain why it matters, never say yes or no (`action_caution_info`).

    A caution named together with a concern is answered by `answer_concern`
    (the intent guard makes such a message a description of the concern).
    """
    cautions = caution_options(parse, kb)
    source = f"caution:{cautions[0].id}" if cautions else "caution:unknown"
    return Reply(source, [(caution_text(kb, cautions), [])])


def open_consultation(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """A consultation button was clicked: say where the link goes (the widget has opened it).

    Typed ("can I book an appointment?"), with no link: the clinic's contact
    details and the buttons, or how to find a professional without a clinic.
    """
    link = next(iter(entity_values(parse, c.LINK)), None)
    if link in c.LINKS:
        return Reply("consultation", [(opened_text(kb, found, link), [])])
    return Reply("consultation", [(opened_text(kb, found, None), consultation_buttons(kb, found))])


def show_summary(parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """The summary again on request ("show my summary")."""
    return Reply("summary", summary_messages(kb, state.answers(), found, state.sender_id, state.channel))


def with_warning_signs(reply: Reply, state: State, kb: KnowledgeBase) -> Reply:
    """The reply, followed by the warning signs of a danger the latest message may tell of (safety-netting).

    A danger the conversation makes sure is answered by the safety policy
    before any action runs; one the message only may tell of gets the kind's
    warning signs and what to do if they appear, after the answer.
    """
    found = assess_latest(state.messages, kb.red_flags)
    if found is None or not found.possible or found.kind is None:
        return reply
    flag = next(f for f in kb.red_flags if f.kind == found.kind)
    return reply.say(flag.watch_for)


# The decision behind each custom action that answers a message.
DECISIONS: Dict[str, Decision] = {
    "action_concern_info": answer_concern,
    c.OFFER_CONCERNS_ACTION: offer_when_not_understood,
    c.FALLBACK_ACTION: not_understood,
    "action_answer_faq": answer_question,
    "action_follow_up": follow_up,
    "action_caution_info": answer_caution,
    "action_open_consultation": open_consultation,
    "action_show_summary": show_summary,
}


# Replies that answer nothing: with a concern under discussion, what can be said about it instead.
NOT_ANSWERED = frozenset({"not_understood", "offer_concerns", "not_known"})
# The actions whose message may lean on the conversation: recovery after a recent treatment
# (assistant/aftercare.py), a follow-up about the concern discussed (assistant/follow_ups.py).
IN_CONTEXT_ACTIONS = frozenset({"action_concern_info", c.OFFER_CONCERNS_ACTION, c.FALLBACK_ACTION, "action_answer_faq",
                               "action_follow_up", "action_caution_info"})


def decide(action: str, parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """The reply of a decided action in its conversation, then the warning signs the message may tell of.

    Aftercare when the message asks about recovery after a recent treatment;
    a detail of the concern discussed when it asks for one in its own words;
    else the action's decision, and when that answers nothing while a concern
    is discussed, what can be said about that concern.
    """
    in_context = action in IN_CONTEXT_ACTIONS
    days = asks_aftercare(parse, state, kb) if in_context else None
    detail = follow_up_detail(parse, state, kb) if in_context else None
    if days is not None:
        reply = Reply(c.AFTERCARE, aftercare_messages(kb, days, found))
    elif detail is not None:
        reply = answer_detail(parse, state, kb, detail)
    else:
        reply = DECISIONS[action](parse, state, kb, found)
    concern = concern_in_question(parse, state, kb) if in_context and state.concerns() else None
    if concern is not None and reply.source in NOT_ANSWERED:
        reply = Reply(f"about:{concern.id}", about_concern(kb, concern), reply.slots)
    if may_request(text_of(parse), kb.requests) == c.DELETE_MY_DATA:
        reply = Reply("confirm_delete", reply.messages, reply.slots, reply.revert).say(
            kb.general["confirm_delete"], [delete_button(kb)])
    # The fallback always forgets the message, whatever it answers: else no rule fits again.
    reply.revert = reply.revert or action == c.FALLBACK_ACTION
    if reply.source != "summary":
        reply.messages = shorten_recommendation(kb, reply.messages, state.said)
    return with_warning_signs(reply, state, kb)


def reply_of(action: str, parse: Parse, state: State, kb: KnowledgeBase, found: Optional[Clinic]) -> Reply:
    """The reply the action a rule chose gives: a decision's, or a fixed reply of the knowledge base."""
    if action in DECISIONS:
        return decide(action, parse, state, kb, found)
    source = "alarm" if intent_of(parse).startswith(c.RED_FLAG_PREFIX) else action
    return Reply(source, [(kb.replies[action], [])] if action in kb.replies else [])
