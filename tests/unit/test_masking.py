"""What the clinic's review export masks in visitors' messages, and what it keeps."""
from __future__ import annotations

import pytest

from clinic_view.masking import mask
from clinic_view.review import dedup_key


@pytest.mark.parametrize("message, masked", [
    ("email me at jane.doe+skin@mail.co.uk please", "email me at [email] please"),
    ("call 07700 900123 or +44 (20) 7946-0958", "call [number] or [number]"),
    ("my NHS number is 943 476 5919", "my NHS number is [number]"),
    ("card 4111-1111-1111-1111 was charged", "card [number] was charged"),
    ("born 12/03/1985, is that too old?", "born [date], is that too old?"),
    ("I was born on 3 March 1985", "I was born on [date]"),
    ("see www.example.com/page and https://x.example/z?q=1", "see [url] and [url]"),
    ("glowskin.co.uk said it works", "[url] said it works"),
    ("my name is Jane Smith and my scars itch", "my name is [name] and my scars itch"),
    ("I'm called Priya, I have melasma", "I'm called [name], I have melasma"),
    ("name: Tom Jones", "name: [name]"),
    ("I live at SW1A 1AA", "I live at [postcode]"),
    ("message me @jane_doe", "message me [handle]"),
])
def test_identifiers_are_masked(message, masked):
    assert mask(message) == masked


@pytest.mark.parametrize("message", [
    "I had 3 sessions in 2019 and 2 more last year",
    "my 2 kids gave me stretch marks 10 years ago",
    "is 0.5 mm deep enough for acne scars?",
    "this is so itchy",
])
def test_words_and_small_numbers_are_kept(message):
    assert mask(message) == message


def test_messages_differing_in_case_spacing_or_end_punctuation_are_one():
    assert dedup_key(mask("Zxqv   BLORP!")) == dedup_key(mask("zxqv blorp")) == "zxqv blorp"
