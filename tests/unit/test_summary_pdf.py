"""The summary PDF read back as text, and the link token that opens it."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from assistant.clinic import clinic
from assistant.summary_link import sender_of, summary_path, token
from assistant.summary_pdf import summary_pdf

ANSWERS = {"concern": ["acne_scars"], "body_area": "face", "duration": "since my teens \u2013 about 10 years",
           "skin_reaction": "easily", "treatments": ["creams"], "cautions": ["isotretinoin"], "cautions_done": True}
SENDER = "visitor-4f1c9a"


def read(document: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(document))


def text_of(document: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in read(document).pages).split())


def test_the_pdf_holds_the_answers_the_questions_the_date_the_disclaimer_and_the_clinic(kb):
    document = summary_pdf(kb, ANSWERS, clinic(), date(2026, 11, 25))
    assert document is not None and document.startswith(b"%PDF-")
    text = text_of(document)
    assert "Summary to show your qualified professional" in text
    assert "Date: 25 November 2026" in text
    for line in ("Concern: Acne scars", "Where: Face", "How long: since my teens - about 10 years",
                 "Darkens after irritation: Easily (it often leaves dark marks)", "Treatments tried: Creams or serums",
                 "Safety check: Isotretinoin (Accutane)"):
        assert line in text
    for question in kb.procedure["questions_to_ask"]:
        assert question in text
    assert kb.get("acne_scars").professional.split(",")[0] in text
    assert "Example Skin Clinic" in text and "+44 20 7946 0123" in text and "Saturday: 10:00 to 14:00" in text
    assert "not a diagnosis, not medical advice" in text


def test_the_pdf_has_no_identifier(kb):
    document = summary_pdf(kb, ANSWERS, clinic(), date(2026, 11, 25))
    assert document is not None
    assert SENDER not in text_of(document)
    assert b"/ID" not in document
    assert set(read(document).metadata or {}) <= {"/Title", "/CreationDate", "/Producer"}


def test_without_a_clinic_the_pdf_says_how_to_find_a_professional(kb):
    document = summary_pdf(kb, ANSWERS, None, date(2026, 11, 25))
    assert document is not None
    text = text_of(document)
    assert "Finding a qualified professional" in text and "https://find-a-derm.aad.org/" in text
    assert "Example Skin Clinic" not in text


def test_nothing_answered_no_pdf(kb):
    assert summary_pdf(kb, {}, clinic(), date(2026, 11, 25)) is None


def test_a_token_opens_only_its_own_conversation():
    mine = token(SENDER)
    assert sender_of(mine) == SENDER
    assert SENDER not in mine and len(mine.split(".")[1]) >= 32
    forged_sender, signature = token("visitor-other").split(".")[0], mine.split(".")[1]
    assert sender_of(f"{forged_sender}.{signature}") is None
    assert sender_of(mine[:-2] + ("AA" if mine[-2:] != "AA" else "BB")) is None
    assert sender_of("not-a-token") is None and sender_of("") is None and sender_of("%%%.%%%") is None
    assert summary_path(SENDER) == f"/webhooks/consultation/summary/{mine}.pdf"


def test_a_conversation_past_the_retention_window_gives_no_answers(monkeypatch):
    import time

    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from channels.consultation import answers_of

    monkeypatch.setenv("RETENTION_DAYS", "30")
    recent = DialogueStateTracker.from_events(SENDER, [UserUttered("acne scars"), SlotSet("concern", ["acne_scars"])])
    assert answers_of(recent)["concern"] == ["acne_scars"]
    then = time.time() - 31 * 86400
    old = DialogueStateTracker.from_events(SENDER, [UserUttered("acne scars", timestamp=then),
                                                    SlotSet("concern", ["acne_scars"], timestamp=then)])
    assert answers_of(old) is None and answers_of(None) is None
