"""Answer frequently asked questions from the knowledge base (actions/knowledge/faq.yml)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import caution_text, lower_name, sources_line
from actions.knowledge_base import knowledge_base
from actions.tracking import latest_intent
from actions.understanding import mentioned_cautions, mentioned_concerns

FAQ_PREFIX = "faq_"


class ActionAnswerFaq(Action):
    """Answer the FAQ named by the intent `faq_<key>`, with sources and a recommendation.

    When the question names a concern ("how many sessions for acne scars?"),
    what the knowledge base says of that concern for this question follows
    the general answer. A caution named with it ("I'm on isotretinoin, does
    it hurt?") is answered first, as it would be alone.
    """

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        intent = latest_intent(tracker) or ""
        faq = kb.faq.get(intent[len(FAQ_PREFIX):]) if intent.startswith(FAQ_PREFIX) else None
        if faq is None:
            dispatcher.utter_message(response="utter_help")
            return []
        cautions = mentioned_cautions(tracker, kb)
        if cautions:
            dispatcher.utter_message(text=caution_text(kb, cautions))
        concerns = [kb.concerns[c] for c in mentioned_concerns(tracker, kb)]
        lines = [f"{faq.question} {faq.answer}"]
        lines += [c.questions.get(faq.key) or kb.general["faq_no_concern_detail"].format(concern=lower_name(c))
                  for c in concerns]
        lines.append(sources_line(kb, faq.sources))
        lines.append(kb.recommendation(concerns[0]) if len(concerns) == 1 else kb.general["faq_recommendation"])
        dispatcher.utter_message(text="\n".join(lines))
        return []
