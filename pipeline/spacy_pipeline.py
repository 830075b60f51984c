"""Build the project's spaCy pipeline from the knowledge base.

Blank English tokenizer + lookup lemmatizer (tables from `spacy-lookups-data`)
+ an `entity_ruler` whose patterns come from `assistant/knowledge/` (concerns,
red flags, questionnaire answers). Rasa's `SpacyNLP` loads the result by path
(see `config.yml`), next to the NLU components that read its matches.

    python -m pipeline.spacy_pipeline [--output nlp/build/skin_pipeline]
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from pipeline.patterns import RED_FLAG_LABEL, PatternBuilder, english_lemma_table

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "nlp" / "build" / "skin_pipeline"
PIPELINE_NAME = "skin_concerns"


def build_pipeline(kb: KnowledgeBase) -> Language:
    """Create the pipeline in memory."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    patterns = PatternBuilder(nlp, english_lemma_table()).knowledge_patterns(kb)
    # Red flags first: where a red-flag phrase overlaps a concern or an answer
    # ("scars from cutting myself"), the red flag is kept.
    red_flags = cast(EntityRuler, nlp.add_pipe("entity_ruler", name="red_flag_ruler"))
    red_flags.add_patterns([p for p in patterns if p["label"] == RED_FLAG_LABEL])
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", config={"overwrite_ents": False}))
    ruler.add_patterns([p for p in patterns if p["label"] != RED_FLAG_LABEL])
    nlp.meta.update(
        name=PIPELINE_NAME,
        version="1.0.0",
        description="Tokenizer, lookup lemmatizer and entity patterns built from the knowledge base.",
    )
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    kb = load_knowledge_base()
    nlp = build_pipeline(kb)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.output)
    count = sum(len(cast(EntityRuler, nlp.get_pipe(name)).patterns) for name in ("red_flag_ruler", "entity_ruler"))
    print(f"spaCy pipeline with {count} patterns -> {args.output}")


if __name__ == "__main__":
    main()
