"""The knowledge base loads, is complete, and rejects broken entries."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBaseError, load_knowledge_base

PUBLIC_CONCERN_IDS = {
    "acne_scars", "scars", "stretch_marks", "hyperpigmentation", "wrinkles", "loose_skin", "texture_tone",
}


def test_concern_ids_are_the_public_contract(kb):
    assert set(kb.ids) == PUBLIC_CONCERN_IDS


def test_every_concern_has_every_section_and_a_source(kb):
    for concern in kb.concerns.values():
        for section in ("name", "summary", "can", "cannot", "evidence", "expectations", "professional"):
            assert getattr(concern, section).strip(), f"{concern.id}: empty {section}"
        assert concern.synonyms and concern.other_options and concern.cautions
        assert concern.sources and all(s.name for s in concern.sources)


def test_recommendation_names_a_qualified_professional(kb):
    for concern in kb.concerns.values():
        text = kb.recommendation(concern)
        assert "qualified professional" in text
        assert concern.professional in text


def test_no_overstated_claims(kb):
    """The source article's overstatements must not come back ("no sign of scarring")."""
    for concern in kb.concerns.values():
        for text in (concern.summary, concern.can, concern.expectations):
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
        (lambda d: d["microneedling"].pop("evidence"), "evidence"),
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
