"""Find the knowledge-base passage that best answers a question no FAQ covers.

The passages are the knowledge base's own texts: each FAQ answer, each
concern's first answer and details (the evidence, what to expect, other
options, who should take care), the procedure's points and the caution notes.
They are ranked with BM25 (`rank-bm25`) on lower-case word stems; a passage
is used only when its score is high enough, so an unrelated question gets
"here is what I can talk about" instead of a confident non-answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

from rank_bm25 import BM25Okapi

from assistant.knowledge_base import KnowledgeBase, knowledge_base
from assistant.contract import CLINIC_TOPICS, PROCEDURE

MIN_SCORE = 4.5
STOP_WORDS = frozenset(
    "a an the and or but if of to in on at for with from by about as is are was were be been being am do does "
    "did doing have has had i me my mine you your it its this that these those there here what which who whom "
    "how when where why can could would should will shall may might must so than too very just not no yes "
    "get got any some much many more most also after before during into out up down over again then once "
    "microneedling micro needling skin treatment treatments".split()
)


@dataclass(frozen=True)
class Passage:
    """One answerable piece of the knowledge base."""

    key: str
    title: str
    text: str
    # What the passage's sources button asks about ({"topic": ...} or {"concern": ...}); empty: no sources.
    about: Tuple[Tuple[str, str], ...]


def stem(word: str) -> str:
    """A crude English stem, enough to match "peeling" with "peel" and "scars" with "scar"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> List[str]:
    """The content words of a text, stemmed."""
    return [stem(w) for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP_WORDS]


def passages(kb: KnowledgeBase) -> List[Passage]:
    """Every passage the retriever can answer with (not the clinic's hours and contact: clinic.yml answers those)."""
    found = [Passage(f"faq:{f.key}", f.question, " ".join(filter(None, [f.answer, f.more])), (("topic", f.key),))
             for f in kb.faq.values() if f.key not in CLINIC_TOPICS]
    for c in kb.concerns.values():
        about = (("concern", c.id),)
        found += [Passage(f"concern:{c.id}:summary", c.name, f"{c.summary} {c.short}", about)]
        found += [Passage(f"concern:{c.id}:{key}", kb.layers["detail_headings"][key].format(concern=c.name).rstrip(":"),
                          text, about) for key, text in c.details.items()]
    found += [Passage(f"procedure:{i}", str(kb.procedure["heading"]), str(point), (("topic", PROCEDURE),))
              for i, point in enumerate(kb.procedure.get("points") or [])]
    found += [Passage(f"caution:{o.id}", o.title, o.note, ()) for o in kb.options["cautions"] if o.note]
    return found


class Retriever:
    """BM25 over the knowledge base's passages."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.passages = passages(kb)
        self._documents = [terms(f"{p.title} {p.text}") for p in self.passages]
        self._index = BM25Okapi(self._documents)

    def ranked(self, question: str, top: int = 3) -> List[Tuple[Passage, float]]:
        """The best passages for a question with their scores, best first."""
        query = terms(question)
        if not query:
            return []
        scores = self._index.get_scores(query)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:top]
        return [(self.passages[i], float(scores[i])) for i in order]

    def best(self, question: str, exclude: Sequence[str] = ()) -> Optional[Passage]:
        """The passage that answers a question, or None when none is relevant enough."""
        for passage, score in self.ranked(question, top=len(exclude) + 1):
            if passage.key not in exclude:
                return passage if score >= MIN_SCORE else None
        return None


@lru_cache(maxsize=1)
def retriever() -> Retriever:
    """The retriever over the loaded knowledge base, built once per process."""
    return Retriever(knowledge_base())
