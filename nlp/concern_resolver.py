"""Rasa NLU component: turn extracted entities into canonical ids.

Two extractors find entities: `SpacyEntityExtractor` (the entity_ruler
patterns built from the knowledge base: concerns, red flags, questionnaire
answers; the canonical id is the matched span's `ent_id_`) and DIET (spans of
text, which `EntitySynonymMapper` maps when they are exactly a
knowledge-base synonym). This component, placed after both:

- gives every pattern match its canonical id;
- maps DIET concern spans with small typos to the closest synonym, and drops
  DIET concern spans that map to no known concern;
- drops DIET spans that overlap a pattern match of the same entity type, and
  duplicates;
- drops a concern that the message denies ("no dark spots", "the skin isn't
  saggy"): a negation within the few words before it, in the same clause,

so the `concern` slot only ever holds canonical ids. It learns the same
synonyms as `EntitySynonymMapper`, whose training and storage it reuses.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Optional, Text, cast

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.pipeline import EntityRuler

from assistant.contract import CONCERN

from assistant.contract import PATTERN_EXTRACTOR as SPACY_EXTRACTOR
TYPO_CUTOFF = 0.85
NEGATIONS = frozenset({"no", "not", "nt", "never", "without", "nor", "isnt", "arent", "dont", "doesnt"})
NEGATION_WINDOW = 3
CLAUSE_BREAKS = frozenset({",", ";", ".", "but", "and", "or", "though", "although", "-", "just"})

Entity = Dict[Text, Any]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True, model_from="SpacyNLP"
)
class ConcernEntityResolver(EntitySynonymMapper):
    """Canonical ids for extracted entities (see module docstring)."""

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        """Learn the synonyms of the training data (generated from the knowledge base)."""
        return super().train(training_data)

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        """Resolve the entities of each message."""
        known_ids = concern_ids(model.model)
        for message in messages:
            message.set(ENTITIES, self.resolve(message, known_ids), add_to_output=True)
        return messages

    def resolve(self, message: Message, known_ids: FrozenSet[str]) -> List[Entity]:
        """The message's entities with canonical values, without duplicates."""
        entities = [dict(e) for e in message.get(ENTITIES, [])]
        from_patterns = [e for e in entities if e.get(EXTRACTOR) == SPACY_EXTRACTOR]
        from_model = [e for e in entities if e.get(EXTRACTOR) != SPACY_EXTRACTOR]
        for entity in from_patterns:
            entity["value"] = self._pattern_id(message, entity) or entity["value"]
        for entity in from_model:
            if entity["entity"] == CONCERN:
                entity["value"] = self.concern_id(str(entity["value"]), known_ids)
        from_model = [
            e for e in from_model
            if (e["entity"] != CONCERN or e["value"] in known_ids)
            and not any(_overlap(e, p) and e["entity"] == p["entity"] for p in from_patterns)
        ]
        resolved: List[Entity] = []
        kept = [e for e in from_patterns + from_model if not (e["entity"] == CONCERN and negated(message, e))]
        for entity in sorted(kept, key=lambda e: e.get("start", 0)):
            if all((r["entity"], r["value"]) != (entity["entity"], entity["value"]) for r in resolved):
                resolved.append(entity)
        return resolved

    def concern_id(self, text: str, known_ids: FrozenSet[str]) -> Optional[str]:
        """The canonical id for a span of text: exact id, synonym, or a close typo."""
        key = text.lower().strip()
        if key in known_ids:
            return key
        candidates = [k for k, v in self.synonyms.items() if v in known_ids]
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=TYPO_CUTOFF)
        return self.synonyms[close[0]] if close else None

    @staticmethod
    def _pattern_id(message: Message, entity: Entity) -> Optional[str]:
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None:
            return None
        for ent in doc.ents:
            if ent.start_char == entity.get("start") and ent.end_char == entity.get("end"):
                return ent.ent_id_ or None
        return None


@lru_cache(maxsize=4)
def concern_ids(nlp: Language) -> FrozenSet[str]:
    """The canonical concern ids that the pipeline's entity_ruler can produce."""
    ruler = cast(EntityRuler, nlp.get_pipe("entity_ruler"))
    return frozenset(str(p["id"]) for p in ruler.patterns if p["label"] == CONCERN)


def negated(message: Message, entity: Entity) -> bool:
    """True when a negation comes shortly before the entity, in the same clause."""
    doc = message.get(SPACY_DOCS[TEXT])
    if doc is None:
        return False
    before = [t for t in doc if t.idx < entity.get("start", 0)][-NEGATION_WINDOW:]
    for token in reversed(before):
        word = token.lower_.replace("'", "").replace("’", "")
        if word in CLAUSE_BREAKS:
            return False
        if word in NEGATIONS:
            return True
    return False


def _overlap(a: Entity, b: Entity) -> bool:
    return a.get("start", 0) < b.get("end", 0) and b.get("start", 0) < a.get("end", 0)
