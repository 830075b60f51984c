"""A message that only tells of a treatment is context for what comes next, never a red flag by itself."""
from __future__ import annotations

import pytest

from assistant.safety.treatment import only_tells_treatment


@pytest.mark.parametrize("text", [
    "I had microneedling on my face two days ago",
    "had the dermapen done on my cheeks this morning",
    "I had a session yesterday by the way",
])
def test_a_treatment_told_alone_is_only_that(text):
    assert only_tells_treatment(text)


@pytest.mark.parametrize("text", [
    "I had microneedling yesterday and my lips are swelling",
    "had it done on friday, now there's pus",
    "I had microneedling 2 days ago and it hurts like mad",
    "my face looks nice",
    "I'm booked for microneedling next week",
])
def test_anything_more_than_the_treatment_is_read_as_usual(text):
    assert not only_tells_treatment(text)
