"""The next step after the information: a consultation with the clinic, or how to find a professional.

With a clinic in clinic.yml, answers about a concern and the summary are
followed by "Book a consultation" / "Call the clinic" link buttons; a click
opens the link in the widget and also sends `/open_consultation{"link":
"booking"}` (or "call", "email"), which the action below answers with the
link itself (in a terminal or over REST, that is where it is). Without a
clinic the assistant says how to find a qualified professional instead.
Questions about the clinic (topics `clinic_hours`, `clinic_contact`) are
answered from clinic.yml. The texts are in actions/knowledge/next_step.yml.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import WEEKDAYS, Clinic, clinic
from actions.knowledge_base import KNOWLEDGE_DIR
from actions.summary_link import summary_path, summary_url

OPEN_INTENT = "open_consultation"
LINK_ENTITY = "link"
LINKS = ("booking", "call", "email")
CLINIC_TOPICS = ("clinic_hours", "clinic_contact")
DAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}
DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b(today|tonight|tomorrow|weekends?)\b",
    re.IGNORECASE,
)
Button = Dict[str, str]


@lru_cache(maxsize=1)
def texts() -> Dict[str, Any]:
    """The texts of actions/knowledge/next_step.yml, white space folded."""
    data = yaml.safe_load((KNOWLEDGE_DIR / "next_step.yml").read_text(encoding="utf-8"))

    def fold(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fold(v) for k, v in value.items()}
        paragraphs = re.split(r"\n(?=- )", str(value).strip())  # a list of links keeps one link per line
        return "\n".join(" ".join(p.split()) for p in paragraphs)

    return fold(data)


def clinic_name(found: Clinic) -> str:
    """The clinic's name as it reads in a sentence."""
    return found.name or "the clinic"


def link_payload(link: str) -> str:
    """What a consultation link button sends besides opening the link."""
    return f"/{OPEN_INTENT}{json.dumps({LINK_ENTITY: link})}"


def consultation_buttons(found: Optional[Clinic]) -> List[Button]:
    """Link buttons to book or call (or e-mail, when there is no booking page); none without a clinic."""
    if found is None:
        return []
    words = texts()
    buttons = []
    if found.booking_url:
        buttons.append({"title": words["book_button"], "url": found.booking_url, "type": "web_url",
                        "payload": link_payload("booking")})
    if found.phone:
        buttons.append({"title": words["call_button"], "url": f"tel:{found.dial}", "type": "web_url",
                        "payload": link_payload("call")})
    if found.email and not found.booking_url:
        buttons.append({"title": words["email_button"], "url": f"mailto:{found.email}", "type": "web_url",
                        "payload": link_payload("email")})
    return buttons


def next_step_text(found: Optional[Clinic]) -> str:
    """After the professional recommendation: the clinic's offer, or how to find a professional."""
    if found is None:
        return texts()["find_professional"]
    offer = texts()["with_clinic"].format(clinic=clinic_name(found))
    return offer if consultation_buttons(found) else f"{offer}\n{contact_text(found)}"


def send_next_step(dispatcher: CollectingDispatcher) -> None:
    """The next step as one message: text, and the link buttons when a clinic is configured."""
    found = clinic()
    dispatcher.utter_message(text=next_step_text(found), buttons=consultation_buttons(found))


def send_summary_download(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The link to the summary PDF: a button in the widget (its path, on the widget's own
    server), the absolute link in the text elsewhere (REST, rasa shell)."""
    words = texts()
    if tracker.get_latest_input_channel() == "socketio":
        button = {"title": words["download_button"], "url": summary_path(tracker.sender_id), "type": "web_url"}
        dispatcher.utter_message(text=words["download_widget_text"], buttons=[button])
    else:
        dispatcher.utter_message(text=words["download_text"].format(url=summary_url(tracker.sender_id)))


def opened_text(found: Optional[Clinic], link: Optional[str]) -> str:
    """The reply to a click on a consultation button: where the link goes."""
    opened = texts()["opened"]
    if found is None:
        return texts()["find_professional"]
    name = clinic_name(found)
    if link == "booking" and found.booking_url:
        return opened["booking"].format(clinic=name, url=found.booking_url)
    if link == "call" and found.phone:
        return opened["call"].format(clinic=name, phone=found.phone)
    if link == "email" and found.email:
        return opened["email"].format(clinic=name, email=found.email)
    return contact_text(found)


def asked_days(text: str, today: date) -> List[str]:
    """The weekdays a message asks about ("on Saturday", "tomorrow", "at the weekend"), in order."""
    days: List[str] = []
    for match in DAY_WORDS.finditer(text):
        word = match.group(0).lower()
        if word in ("today", "tonight"):
            found = [WEEKDAYS[today.weekday()]]
        elif word == "tomorrow":
            found = [WEEKDAYS[(today.weekday() + 1) % 7]]
        elif word.startswith("weekend"):
            found = ["sat", "sun"]
        else:
            found = [word[:3]]  # "saturdays" -> "sat"
        days += [d for d in found if d not in days]
    return days


def _hours(ranges: tuple) -> str:
    return " and ".join(r.replace("-", " to ") for r in ranges)


def hours_text(found: Clinic, text: str, today: Optional[date] = None) -> str:
    """The hours of the days asked about, or of the whole week."""
    words, name = texts(), clinic_name(found)
    if not found.opening_hours:
        return words["hours_unknown"].format(clinic=name)
    days = asked_days(text, today or date.today())
    if days:
        lines = []
        for day in days:
            ranges = found.opening_hours.get(day)
            key = "day_unknown" if ranges is None else "day_hours" if ranges else "day_closed"
            lines.append(words[key].format(day=DAY_NAMES[day], clinic=name, hours=_hours(ranges or ())))
        return " ".join(lines)
    week = [
        f"- {DAY_NAMES[day]}: {_hours(found.opening_hours[day]) or words['closed']}"
        for day in WEEKDAYS if day in found.opening_hours
    ]
    return "\n".join([words["hours_heading"].format(clinic=name), *week])


def contact_text(found: Clinic) -> str:
    """The clinic's address, phone, e-mail and booking page, those that are known."""
    words, name = texts(), clinic_name(found)
    fields = [("address_label", found.address), ("phone_label", found.phone),
              ("email_label", found.email), ("booking_label", found.booking_url)]
    lines = [f"- {words[label]}: {value}" for label, value in fields if value]
    if not lines:
        return words["contact_unknown"].format(clinic=name)
    return "\n".join([words["contact_heading"].format(clinic=name), *lines])


def answer_clinic_question(dispatcher: CollectingDispatcher, topic: str, text: str) -> bool:
    """Answer a question about the clinic from clinic.yml; False when there is no clinic to answer for."""
    found = clinic()
    if found is None:
        return False
    answer = hours_text(found, text) if topic == "clinic_hours" else contact_text(found)
    dispatcher.utter_message(text=answer, buttons=consultation_buttons(found))
    return True


class ActionOpenConsultation(Action):
    """A consultation button was clicked: say where the link goes (the widget has opened it).

    Typed ("can I book an appointment?"), with no link: the clinic's contact
    details and the buttons, or how to find a professional without a clinic.
    """

    def name(self) -> Text:
        return "action_open_consultation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        link = next(tracker.get_latest_entity_values(LINK_ENTITY), None)
        found = clinic()
        if link in LINKS:
            dispatcher.utter_message(text=opened_text(found, str(link)))
        else:  # typed ("I'd like to book a consultation"): the details and the buttons
            dispatcher.utter_message(text=opened_text(found, None), buttons=consultation_buttons(found))
        return []
