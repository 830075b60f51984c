"""The visitor's summary as a PDF (fpdf2), made on request and never stored.

It holds the visitor's answers, who to see and the questions worth asking
them, the date, the disclaimer, and the clinic's details (or how to find a
qualified professional). No conversation id or other identifier: not in the
text, not in the metadata, and no PDF file identifier.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any, Dict, Optional

from fpdf import FPDF

from assistant.clinic import Clinic
from assistant.knowledge_base import KnowledgeBase
from assistant.next_step import contact_text, hours_text
from assistant.compose import closing_recommendation
from assistant.tailoring import summary

# Typographic characters the PDF's built-in font lacks, written plainly.
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                       "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def plain(text: str) -> str:
    """Text the built-in Helvetica can show (Latin-1); anything else becomes its base letter or '?'."""
    text = unicodedata.normalize("NFC", str(text).translate(PLAIN))
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


class SummaryPdf(FPDF):
    """An A4 document with no file identifier."""

    def file_id(self) -> None:
        return None

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(0, 7, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)

    def paragraph(self, text: str) -> None:
        for line in text.splitlines():
            self.multi_cell(0, 6, plain(line), new_x="LMARGIN", new_y="NEXT")


def summary_pdf(kb: KnowledgeBase, answers: Dict[str, Any], found: Optional[Clinic], today: date) -> Optional[bytes]:
    """The PDF of a conversation's answers, or None when there is nothing to summarise."""
    answered = summary(kb, answers)
    if answered is None:
        return None
    words = kb.next_step["pdf"]
    concerns = [kb.concerns[c] for c in answers.get("concern") or [] if c in kb.concerns]
    pdf = SummaryPdf(format="A4")
    pdf.set_title(plain(words["title"]))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, plain(words["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.paragraph(f"{words['date']}: {today.day} {today:%B %Y}")
    pdf.heading(words["answers_heading"])
    pdf.paragraph("\n".join(answered.splitlines()[1:]))
    pdf.heading(words["questions_heading"])
    pdf.paragraph(closing_recommendation(kb, concerns))
    pdf.paragraph("\n".join(f"- {q}" for q in kb.procedure["questions_to_ask"]))
    if found is not None:
        pdf.heading(words["clinic_heading"])
        pdf.paragraph(contact_text(kb, found))
        if found.opening_hours:
            pdf.paragraph(hours_text(kb, found, ""))
    else:
        pdf.heading(words["no_clinic_heading"])
        pdf.paragraph(kb.next_step["find_professional"])
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 10)
    pdf.paragraph(words["disclaimer"])
    return bytes(pdf.output())
