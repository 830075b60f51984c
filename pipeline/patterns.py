"""Turn knowledge-base phrases into spaCy `entity_ruler` token patterns.

Each word of a phrase matches case-insensitively in any inflected form that
the lookup lemmatizer knows ("scar" matches "Scars", "scarring", "scarred"),
hyphens between words are optional ("ice pick" matches "ice-pick"), and
`...` in a phrase stands for one to four words in between ("holes ...
pimples" matches "little holes left from pimples"; the words in between are
never punctuation or a conjunction, so "stretch marks and dark spots" stays
two concerns, and at least one is needed, so "pits ... acne" cannot take
"pitted acne" away from "acne scars" in "pitted acne scars"). A word written
with a leading `=` matches only as written, in any case ("=darker" matches
"darker", not "dark", to which the lemmatizer reduces it).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Set

import spacy_lookups_data
import srsly
from spacy.language import Language

from assistant.contract import CONCERN as CONCERN_LABEL
from assistant.contract import RED_FLAG as RED_FLAG_LABEL
from assistant.knowledge_base import KnowledgeBase

GAP = "..."
EXACT = "="
MAX_GAP_WORDS = 4
GAP_WORD: Dict[str, object] = {
    "IS_PUNCT": False,
    "LOWER": {"NOT_IN": ["and", "or", "but", "&", "plus", "also"]},
}

TokenPattern = Dict[str, object]


def english_lemma_table() -> Dict[str, str]:
    """The word form -> lemma table that the lookup lemmatizer uses."""
    path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
    gzipped = path.with_name(path.name + ".gz")
    return srsly.read_gzip_json(gzipped) if gzipped.exists() else srsly.read_json(path)


def inflection_index(lemma_table: Mapping[str, str]) -> Dict[str, Set[str]]:
    """Map each lemma to every lower-case word form the lookup table reduces to it."""
    forms: Dict[str, Set[str]] = defaultdict(set)
    for form, lemma in lemma_table.items():
        forms[lemma.lower()].add(form.lower())
    return forms


class PatternBuilder:
    """Builds token patterns with a pipeline's tokenizer and its lemma table."""

    def __init__(self, nlp: Language, lemma_table: Mapping[str, str]) -> None:
        self._nlp = nlp
        self._lemmas = lemma_table
        self._forms = inflection_index(self._lemmas)

    def word_forms(self, word: str) -> List[str]:
        """All lower-case forms of a word that should match it."""
        word = word.lower()
        lemma = self._lemmas.get(word, word).lower()
        return sorted({word, lemma} | self._forms.get(lemma, set()))

    def phrase_pattern(self, phrase: str) -> List[TokenPattern]:
        """The token pattern for one knowledge-base phrase."""
        pattern: List[TokenPattern] = []
        for chunk_index, chunk in enumerate(phrase.split(GAP)):
            tokens = [t.text for t in self._nlp.make_doc(chunk.strip()) if t.text != "-"]
            exact = {i + 1 for i, token in enumerate(tokens) if token == EXACT}
            words = [(token, i in exact) for i, token in enumerate(tokens) if token != EXACT]
            if chunk_index:
                pattern += [GAP_WORD] + [dict(GAP_WORD, OP="?")] * (MAX_GAP_WORDS - 1)
            for word_index, (word, as_written) in enumerate(words):
                if word_index:
                    pattern.append({"ORTH": "-", "OP": "?"})
                pattern.append({"LOWER": {"IN": [word.lower()] if as_written else self.word_forms(word)}})
        return pattern

    def knowledge_patterns(self, kb: KnowledgeBase) -> List[dict]:
        """entity_ruler patterns for everything the knowledge base names.

        Concerns (synonyms and descriptive patterns), red flags, and the
        questionnaire options whose question has an entity; the pattern id
        is the canonical id the assistant stores.
        """
        phrases = [(CONCERN_LABEL, c.id, p) for c in kb.concerns.values() for p in _unique(c.synonyms + c.patterns)]
        phrases += [(RED_FLAG_LABEL, flag.kind, p) for flag in kb.red_flags for p in _unique(flag.phrases)]
        for group, question in kb.questions.items():
            if question.get("entity"):
                phrases += [
                    (question["entity"], option.id, p)
                    for option in kb.options[group] if option.entity
                    for p in _unique(option.synonyms)
                ]
        return [{"label": label, "id": id_, "pattern": self.phrase_pattern(p)} for label, id_, p in phrases]


def _unique(phrases: Iterable[str]) -> List[str]:
    first: Dict[str, str] = {}
    for phrase in phrases:
        first.setdefault(phrase.lower(), phrase)
    return list(first.values())
