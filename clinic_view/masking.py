"""Mask what could identify a visitor in a message before anyone reads it.

Order matters: e-mail addresses before URLs and handles, URLs before
numbers, phone numbers and long digit runs (dates of birth, NHS, card and
account numbers) before short numbers, which are kept ("3 years", "2 kids").
"""
from __future__ import annotations

import re
from typing import List, Tuple

MASKS: List[Tuple[re.Pattern, str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I), "[email]"),
    (re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co|uk|io|info|de|fr|nl|us)(?:/\S*)?\b",
                re.I), "[url]"),
    (re.compile(r"(?<!\w)@\w{2,}"), "[handle]"),
    # dates: 12/03/1985, 12-3-85, 1985-03-12, 12.03.1985
    (re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    # phone numbers: +44 20 7946 0958, (020) 7946-0958, 07700 900123
    (re.compile(r"(?<!\w)(?:\+|00)?\(?\d[\d ()-]{7,}\d(?!\w)"), "[number]"),
    # UK postcodes: SW1A 1AA, M1 1AE
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), "[postcode]"),
    # dates of birth written out: "born on 3 March 1985", "dob 03 march"
    (re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b",
                re.I), "[date]"),
    # a name given outright: "my name is Jane Smith", "I'm called Jane"
    (re.compile(r"\b((?i:my name is|my name's|i am called|i'm called|call me))\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?"),
     r"\1 [name]"),
    (re.compile(r"\b(name:)\s*\S+(?:\s+[A-Z][\w'-]*)?", re.I), r"\1 [name]"),
]


def mask(text: str) -> str:
    """The message with identifiers replaced by [email], [url], [number], [date], [name] and the like."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()
