"""Build the project's spaCy pipeline from the knowledge base.

Blank English tokenizer + lookup lemmatizer (tables from `spacy-lookups-data`)
+ an `entity_ruler` whose patterns come from `actions/knowledge/` (concerns,
red flags, questionnaire answers). Rasa's
`SpacyNLP` loads the result by path (see `config.yml`).

    python -m nlp.build_pipeline [--output nlp/build/skin_pipeline]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.language import Language

from actions.knowledge_base import KnowledgeBase, load_knowledge_base
from nlp.patterns import PatternBuilder, english_lemma_table

DEFAULT_OUTPUT = Path(__file__).parent / "build" / "skin_pipeline"
PIPELINE_NAME = "skin_concerns"


def build_pipeline(kb: KnowledgeBase) -> Language:
    """Create the pipeline in memory."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(PatternBuilder(nlp, english_lemma_table()).knowledge_patterns(kb))
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
    patterns = len(nlp.get_pipe("entity_ruler").patterns)
    print(f"spaCy pipeline with {patterns} patterns -> {args.output}")


if __name__ == "__main__":
    main()
