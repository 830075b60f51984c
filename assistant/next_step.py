"""The next step after the information: a consultation with the clinic, or how to find a professional.

With a clinic in clinic.yml, answers about a concern and the summary are
followed by "Book a consultation" / "Call the clinic" link buttons; a click
opens the link in the widget and also sends `/open_consultation{"link":
"booking"}` (or "call", "email"), which is answered with the link itself (in
a terminal or over REST, that is where it is). Without a clinic the assistant
says how to find a qualified professional instead. Questions about the clinic
(topics `clinic_hours`, `clinic_contact`) are answered from clinic.yml. The
texts are in assistant/knowledge/next_step.yml.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import List, Optional

from assistant import contract as c
from assistant.clinic import WEEKDAYS, Clinic
from assistant.compose import Button, Message
from assistant.knowledge_base import KnowledgeBase
from assistant.summary_link import summary_path, summary_url

DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b(today|tonight|tomorrow|weekends?)\b",
    re.IGNORECASE,
)


def clinic_name(found: Clinic) -> str:
    """The clinic's name as it reads in a sentence."""
    return found.name or "the clinic"


def link_payload(link: str) -> str:
    """What a consultation link button sends besides opening the link."""
    return f"/{c.OPEN_CONSULTATION}{json.dumps({c.LINK: link})}"


def consultation_buttons(kb: KnowledgeBase, found: Optional[Clinic]) -> List[Button]:
    """Link buttons to book or call (or e-mail, when there is no booking page); none without a clinic."""
    if found is None:
        return []
    words = kb.next_step
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


def next_step_text(kb: KnowledgeBase, found: Optional[Clinic]) -> str:
    """After the professional recommendation: the clinic's offer, or how to find a professional."""
    if found is None:
        return kb.next_step["find_professional"]
    offer = kb.next_step["with_clinic"].format(clinic=clinic_name(found))
    return offer if consultation_buttons(kb, found) else f"{offer}\n{contact_text(kb, found)}"


def next_step_message(kb: KnowledgeBase, found: Optional[Clinic]) -> Message:
    """The next step as one message: text, and the link buttons when a clinic is configured."""
    return next_step_text(kb, found), consultation_buttons(kb, found)


def summary_download(kb: KnowledgeBase, sender_id: str, channel: Optional[str]) -> Message:
    """The link to the summary PDF: a button in the widget (its path, on the widget's own
    server), the absolute link in the text elsewhere (REST, rasa shell)."""
    words = kb.next_step
    if channel == "socketio":
        button = {"title": words["download_button"], "url": summary_path(sender_id), "type": "web_url"}
        return words["download_widget_text"], [button]
    return words["download_text"].format(url=summary_url(sender_id)), []


def opened_text(kb: KnowledgeBase, found: Optional[Clinic], link: Optional[str]) -> str:
    """The reply to a click on a consultation button: where the link goes."""
    opened = kb.next_step["opened"]
    if found is None:
        return kb.next_step["find_professional"]
    name = clinic_name(found)
    if link == "booking" and found.booking_url:
        return opened["booking"].format(clinic=name, url=found.booking_url)
    if link == "call" and found.phone:
        return opened["call"].format(clinic=name, phone=found.phone)
    if link == "email" and found.email:
        return opened["email"].format(clinic=name, email=found.email)
    return contact_text(kb, found)


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


def hours_text(kb: KnowledgeBase, found: Clinic, text: str, today: Optional[date] = None) -> str:
    """The hours of the days asked about, or of the whole week."""
    words, name, day_names = kb.next_step, clinic_name(found), kb.next_step["day_names"]
    if not found.opening_hours:
        return words["hours_unknown"].format(clinic=name)
    days = asked_days(text, today or date.today())
    if days:
        lines = []
        for day in days:
            ranges = found.opening_hours.get(day)
            key = "day_unknown" if ranges is None else "day_hours" if ranges else "day_closed"
            lines.append(words[key].format(day=day_names[day], clinic=name, hours=_hours(ranges or ())))
        return " ".join(lines)
    week = [
        f"- {day_names[day]}: {_hours(found.opening_hours[day]) or words['closed']}"
        for day in WEEKDAYS if day in found.opening_hours
    ]
    return "\n".join([words["hours_heading"].format(clinic=name), *week])


def contact_text(kb: KnowledgeBase, found: Clinic) -> str:
    """The clinic's address, phone, e-mail and booking page, those that are known."""
    words, name = kb.next_step, clinic_name(found)
    fields = [("address_label", found.address), ("phone_label", found.phone),
              ("email_label", found.email), ("booking_label", found.booking_url)]
    lines = [f"- {words[label]}: {value}" for label, value in fields if value]
    if not lines:
        return words["contact_unknown"].format(clinic=name)
    return "\n".join([words["contact_heading"].format(clinic=name), *lines])


def clinic_answer(kb: KnowledgeBase, found: Optional[Clinic], topic: str, text: str) -> Optional[Message]:
    """The answer to a question about the clinic from clinic.yml; None when there is no clinic to answer for."""
    if found is None:
        return None
    answer = hours_text(kb, found, text) if topic == c.CLINIC_TOPICS[0] else contact_text(kb, found)
    return answer, consultation_buttons(kb, found)
