"""Two read-only routes on the Rasa server, for the next step after the chat (no messages come in here).

    GET /webhooks/consultation/clinic
        The clinic's public details from clinic.yml (name, booking_url, phone,
        dial, email, address) and its link buttons (title, url, payload) as
        JSON, `{}` when there is no clinic: the widget shows "Book a
        consultation" / "Call the clinic" in its header.
    GET /webhooks/consultation/summary/<token>.pdf
        The visitor's summary as a PDF, made from the stored conversation on
        request and never stored. The token (assistant/summary_link.py) opens
        only its own conversation; an unknown token, a deleted conversation,
        one older than $RETENTION_DAYS or one with no answers gives 404.

Registered in credentials.yml as `channels.consultation.ConsultationInput:`.
The tracker store is the agent's (`request.app.ctx.agent`), so every Rasa
server sharing the store (and $SUMMARY_SECRET) serves every link.
"""
from __future__ import annotations

import time
from datetime import date
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.clinic import clinic
from assistant.contract import ANSWER_SLOTS
from assistant.knowledge_base import knowledge_base
from assistant.next_step import consultation_buttons
from assistant.privacy import retention_days
from assistant.summary_link import sender_of
from assistant.summary_pdf import summary_pdf

PDF_NAME = "skin-summary.pdf"


def answers_of(tracker: Optional[DialogueStateTracker]) -> Optional[Dict[str, Any]]:
    """The questionnaire answers of a stored conversation that still exists within the retention window."""
    if tracker is None or not tracker.events:
        return None
    if time.time() - tracker.events[-1].timestamp > retention_days() * 86400:
        return None
    return {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS}


class ConsultationInput(InputChannel):
    """The clinic's details and the summary PDF (see module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "consultation"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("consultation_webhook", __name__)

        @blueprint.route("/clinic", methods=["GET"])
        async def clinic_details(_: Request) -> HTTPResponse:
            found = clinic()
            return response.json({**found.public(), "buttons": consultation_buttons(knowledge_base(), found)}
                                 if found else {})

        @blueprint.route("/summary/<file_name>", methods=["GET"])
        async def summary_document(request: Request, file_name: Text) -> HTTPResponse:
            not_found = knowledge_base().next_step["summary_not_found"]
            sender_id = sender_of(file_name[: -len(".pdf")]) if file_name.endswith(".pdf") else None
            if sender_id is None:
                return response.text(not_found, status=404)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
            answers = answers_of(tracker)
            document = summary_pdf(knowledge_base(), answers, clinic(), date.today()) if answers else None
            if document is None:
                return response.text(not_found, status=404)
            return response.raw(document, content_type="application/pdf", headers={
                "Content-Disposition": f'attachment; filename="{PDF_NAME}"',
                "Cache-Control": "no-store",
            })

        return blueprint
