"""Compose the end-of-questionnaire answer and the summary (pure functions)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from assistant.compose import explain_terms, in_messages, join_list
from assistant.knowledge_base import KnowledgeBase

Answers = Dict[str, Any]


def _titles(kb: KnowledgeBase, group: str, ids: Sequence[str]) -> List[str]:
    titles = []
    for option_id in ids:
        option = kb.option(group, option_id)
        titles.append(option.title if option else str(option_id))
    return titles


def answer_text(kb: KnowledgeBase, slot: str, value: Any) -> str:
    """How one answer reads in the summary and in confirmations."""
    not_given = kb.questionnaire["not_given"]
    if value in (None, "", [], "not_given"):
        return not_given
    if slot == "concern":
        return join_list([kb.concerns[c].name for c in value if c in kb.concerns]) or not_given
    if slot == "cautions":
        return "; ".join(_titles(kb, "cautions", value)) or kb.questionnaire["summary"]["none_flagged"]
    values = value if isinstance(value, list) else [value]
    return join_list(_titles(kb, slot, [str(v) for v in values]))  # these slots share their group's name


def summary(kb: KnowledgeBase, answers: Answers) -> Optional[str]:
    """The summary to show a professional, or None when nothing was answered."""
    config = kb.questionnaire["summary"]
    if not any(answers.get(slot) for slot in config["labels"]):
        return None
    lines = [config["heading"]]
    for slot, label in config["labels"].items():
        value = answers.get(slot)
        if slot == "cautions" and value is None and answers.get("cautions_done") is not True:
            text = kb.questionnaire["not_given"]
        else:
            text = answer_text(kb, slot, value or ([] if slot == "cautions" else None))
        lines.append(f"- {label}: {text}")
    return "\n".join(lines)


def procedure_messages(kb: KnowledgeBase) -> List[str]:
    """What to expect from microneedling in general: its points, a few to a message, then who to see."""
    points = [f"- {explain_terms(kb, point)}" for point in kb.procedure["points"]]
    return in_messages([kb.procedure["heading"] + ":", *points, kb.general["faq_recommendation"]])


def questions_text(kb: KnowledgeBase) -> str:
    """The questions worth asking a professional."""
    questions = [f"- {q}" for q in kb.procedure["questions_to_ask"]]
    return "\n".join([kb.layers["questions_heading"], *questions])


def caution_reminder(kb: KnowledgeBase, answers: Answers) -> str:
    """What the safety check recorded, then the reminder to mention medicines and allergies."""
    notes = kb.questionnaire["notes"]
    declared = [c for c in answers.get("cautions") or [] if c not in ("none", "not_given")]
    if declared:
        told = notes["declared"].format(cautions="; ".join(_titles(kb, "cautions", declared)))
    elif answers.get("cautions_done") == "not_given":
        told = notes["skipped_cautions"]
    else:
        told = notes["no_cautions"]
    return f"{told} {' '.join(notes['reminder'].split())}"


def tailored_notes(kb: KnowledgeBase, answers: Answers) -> str:
    """Notes that follow from the answers: each caution and the reminder, skin reaction, area."""
    notes = kb.questionnaire["notes"]
    lines = [notes["heading"]]
    for caution_id in answers.get("cautions") or []:
        option = kb.option("cautions", caution_id)
        if option and option.note:
            lines.append(f"- {option.note}")
    lines.append(f"- {caution_reminder(kb, answers)}")
    if answers.get("skin_reaction") == "easily":
        lines.append(f"- {notes['darkens_easily']}")
    if answers.get("body_area") not in (None, "face", "not_given"):
        lines.append(f"- {notes['body_area']}")
    if "microneedling" in (answers.get("treatments") or []):
        lines.append(f"- {notes['tried_microneedling']}")
    lines.append(notes["discuss"])
    return "\n".join(lines)
