"""The knowledge base loads, is complete, and rejects broken entries."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.knowledge_base import DETAILS, KNOWLEDGE_DIR, KnowledgeBaseError, load_knowledge_base

PUBLIC_CONCERN_IDS = {
    "acne_scars", "scars", "stretch_marks", "hyperpigmentation", "wrinkles", "loose_skin", "texture_tone",
}


def test_concern_ids_are_the_public_contract(kb):
    assert set(kb.ids) == PUBLIC_CONCERN_IDS


def test_every_concern_has_every_section_and_a_source_with_a_link(kb):
    for concern in kb.concerns.values():
        for section in ("name", "summary", "short", "professional"):
            assert getattr(concern, section).strip(), f"{concern.id}: empty {section}"
        assert set(concern.details) == set(DETAILS) and all(concern.details.values())
        assert concern.synonyms
        assert concern.sources and all(s.title and s.url.startswith("https://") for s in concern.sources)


def test_recommendation_names_a_qualified_professional(kb):
    for concern in kb.concerns.values():
        text = kb.recommendation(concern)
        assert "qualified professional" in text
        assert concern.professional in text


def test_no_overstated_claims(kb):
    """The source article's overstatements must not come back ("no sign of scarring")."""
    for concern in kb.concerns.values():
        for text in (concern.summary, concern.short, *concern.details.values()):
            lowered = text.lower()
            for claim in ("removes scars", "no sign", "guarantee", "permanent", "cure", "painless"):
                assert claim not in lowered, f"{concern.id}: '{claim}' in {text!r}"


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("sources"), "sources"),
        (lambda d: d["details"].pop("evidence"), "evidence"),
        (lambda d: d.update(sources=["no_such_source"]), "no_such_source"),
        (lambda d: d.update(synonyms=[]), "synonyms"),
        (lambda d: d.update(id="Acne Scars"), "id"),
    ],
)
def test_a_broken_entry_is_rejected_with_its_file_and_section(tmp_path, change, message):
    directory = _copy_kb(tmp_path)
    _edit(directory / "concerns" / "acne_scars.yml", change)
    with pytest.raises(KnowledgeBaseError, match=message) as error:
        load_knowledge_base(directory)
    assert "acne_scars.yml" in str(error.value)


def test_a_source_without_a_link_is_rejected(tmp_path):
    directory = _copy_kb(tmp_path)
    _edit(directory / "sources.yml", lambda d: next(iter(d.values())).pop("url"))
    with pytest.raises(KnowledgeBaseError, match="link"):
        load_knowledge_base(directory)


def test_a_synonym_claimed_by_two_concerns_is_rejected(tmp_path):
    directory = _copy_kb(tmp_path)
    _edit(directory / "concerns" / "scars.yml", lambda d: d["synonyms"].append("Stretch Marks"))
    with pytest.raises(KnowledgeBaseError, match="stretch marks"):
        load_knowledge_base(directory)


def test_the_recommendation_template_must_name_the_professional(tmp_path):
    directory = _copy_kb(tmp_path)
    (directory / "general.yml").write_text("recommendation: See someone.\n")
    with pytest.raises(KnowledgeBaseError, match="professional"):
        load_knowledge_base(directory)


# -- the rest of the content, and its links to the NLU data and dialogue -------
def _domain():
    from harness.servers import ROOT

    return yaml.safe_load((ROOT / "domain" / "dialogue.yml").read_text())


def _training():
    from rasa.shared.nlu.training_data.loading import load_data
    from harness.servers import ROOT

    return load_data(str(ROOT / "data" / "nlu"))


def _rules_text():
    from harness.servers import ROOT

    return "\n".join(p.read_text() for p in sorted((ROOT / "data" / "rules").glob("*.yml")))


def test_every_faq_topic_has_an_answer_a_source_and_examples_and_questions_a_rule(kb):
    from nlp.topic_classifier import example_topic

    assert "ask_question" in _domain()["intents"]
    rules = _rules_text()
    assert rules.count("intent: ask_question\n") >= 2, "questions must be answered in and out of the form"
    topics = [example_topic(m) for m in _training().intent_examples if m.get("intent") == "ask_question"]
    assert None not in topics, "every ask_question example needs metadata: {topic: ...}"
    assert set(topics) == set(kb.faq), "every topic needs examples, every example a knowledge-base topic"
    for key, faq in kb.faq.items():
        assert faq.question and faq.answer and faq.sources, key
        assert topics.count(key) >= 8, f"{key} needs training examples"
    assert len(kb.faq) >= 40


def test_every_red_flag_kind_has_an_intent_15_examples_and_a_rule(kb):
    intents = set(_domain()["intents"])
    counts = _training().number_of_examples_per_intent
    rules = _rules_text()
    assert [f.kind for f in kb.red_flags] == [  # self-harm first, then by level
        "self_harm_plan", "self_harm", "allergy", "numbing", "emergency_signs", "sepsis", "vision_loss", "hives",
        "infection", "pain", "eye", "cold_sore", "burn", "bleeding", "lumps", "mole"]
    for flag in kb.red_flags:
        assert flag.intent in intents and counts.get(flag.intent, 0) >= 15, flag.intent
        assert f"intent: {flag.intent}\n" in rules


def test_every_question_and_option_group_is_complete(kb):
    for group in ("body_area", "duration", "skin_reaction", "treatments", "cautions"):
        assert kb.questions[group]["text"]
        assert kb.options[group], group
        for option in kb.options[group]:
            assert option.title and option.synonyms, (group, option.id)
    for caution in kb.options["cautions"]:
        if caution.id != "none":
            assert caution.note and ("doctor" in caution.note or "specialist" in caution.note
                                     or "prescriber" in caution.note), caution.id
    assert [o.id for o in kb.options["body_area"]] == [
        "face", "neck", "chest", "arms", "abdomen", "thighs", "back", "other"]
    assert [o.id for o in kb.options["treatments"]] == [
        "none", "creams", "peels", "laser", "microneedling", "other"]
    assert kb.procedure["sources"] and kb.procedure["questions_to_ask"]


def test_every_concern_id_has_training_examples_and_patterns(kb):
    from pipeline.patterns import CONCERN_LABEL

    examples = [e for e in _training().entity_examples
                if any(x["entity"] == CONCERN_LABEL for x in e.get("entities") or [])]
    for concern in kb.concerns.values():
        assert sum(any(x["value"] == concern.id for x in e.get("entities")) for e in examples) >= 10
        assert concern.synonyms and concern.patterns, concern.id


def test_an_option_split_out_of_another_names_an_existing_option(kb):
    for group, options in kb.options.items():
        ids = {o.id for o in options}
        for option in options:
            assert option.split_from in (None, *ids - {option.id}), (group, option.id)
    assert {o.id for o in kb.options["cautions"] if o.split_from == "slow_healing"} == {"weak_immunity", "radiotherapy"}
