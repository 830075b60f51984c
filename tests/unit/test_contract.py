"""The contract's names and numbers (assistant/contract.py) are the ones domain, config and rules use."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set

import pytest
import yaml

from assistant import contract as c
from assistant.decisions import DECISIONS
from harness.servers import ROOT

DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain" / "dialogue.yml").read_text(encoding="utf-8"))
RESPONSES = yaml.safe_load((ROOT / "domain" / "responses.yml").read_text(encoding="utf-8"))["responses"]
CONFIG = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
RULES: List[Dict[str, Any]] = [rule for path in sorted((ROOT / "data" / "rules").glob("*.yml"))
                               for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]]


def _from_text_not_intents(slot: str) -> List[str]:
    return next(m["not_intent"] for m in DOMAIN["slots"][slot]["mappings"] if m["type"] == "from_text")


def _component(suffix: str) -> Dict[str, Any]:
    return next(p for p in CONFIG["pipeline"] if p["name"].endswith(suffix))


def test_the_intents_are_the_domains_in_its_order(kb):
    assert list(c.INTENTS) == DOMAIN["intents"]
    assert {c.RED_FLAG_PREFIX + flag.kind for flag in kb.red_flags} == {i for i in c.INTENTS if i.startswith("red_")}
    assert c.BUTTON_INTENTS <= set(c.INTENTS)


def test_entities_and_slots_are_declared():
    entities = set(DOMAIN["entities"])
    assert {c.CONCERN, c.RED_FLAG, c.BODY_AREA, c.DURATION, c.SKIN_REACTION, c.TREATMENT, c.CAUTION, c.DETAIL,
            c.TOPIC, c.LINK} <= entities
    assert {entity for _, entity in c.SLOT_GROUPS.values()} <= entities
    slots = set(DOMAIN["slots"])
    assert {c.CONCERN_SLOT, c.SUGGESTED_SLOT, c.CONFIRMING_SLOT, c.LAST_TOPIC_SLOT, c.INVALID_COUNT_SLOT,
            c.CAUTIONS_SLOT, c.CAUTIONS_DONE_SLOT, *c.ANSWER_SLOTS} <= slots


def test_the_form_asks_the_contracts_questions_in_order():
    assert list(c.FORM_SLOTS) == DOMAIN["forms"][c.FORM]["required_slots"]
    assert set(c.SLOT_GROUPS) == set(c.FORM_SLOTS) - {c.CONCERN_SLOT}


@pytest.mark.parametrize("slot", ["body_area", "duration", "skin_reaction", "treatments"])
def test_free_text_answers_skip_the_contracts_intents(slot):
    assert _from_text_not_intents(slot) == list(c.NOT_ANSWERS)


def test_the_safety_check_takes_a_caution_question_as_its_answer():
    assert _from_text_not_intents(c.CAUTIONS_DONE_SLOT) == list(c.NOT_CAUTION_ANSWERS)


def test_the_concern_slot_skips_out_of_scope_messages_as_slot_concerns_says():
    mapping = DOMAIN["slots"][c.CONCERN_SLOT]["mappings"][0]
    assert mapping == {"type": "from_entity", "entity": c.CONCERN, "not_intent": [c.OUT_OF_SCOPE]}


def test_every_decision_and_named_action_is_a_domain_action():
    actions = set(DOMAIN["actions"])
    assert set(DECISIONS) <= actions
    assert {c.DELETE_ACTION, c.OFFER_CONCERNS_ACTION, c.FALLBACK_ACTION} <= actions
    rule_policy = next(p for p in CONFIG["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == c.FALLBACK_ACTION


def test_the_rules_name_only_known_intents_and_actions():
    named: Set[str] = set()
    acted: Set[str] = set()
    for rule in RULES:
        for step in rule["steps"]:
            named |= {step["intent"]} if "intent" in step else {o["intent"] for o in step.get("or") or []}
            acted |= {step["action"]} if "action" in step else set()
    assert named <= {*c.INTENTS, c.NLU_FALLBACK}
    builtin = {"action_restart", "action_deactivate_loop", "action_listen", c.FORM}
    assert acted <= set(DOMAIN["actions"]) | set(RESPONSES) | builtin


def test_the_nlu_components_name_contract_intents():
    assert set(_component("ConcernClassifier").get("skip_intents") or []) <= set(c.INTENTS)
    from nlp.concern_classifier import DEFAULT_SKIP_INTENTS

    assert set(DEFAULT_SKIP_INTENTS) <= set(c.INTENTS)


def test_the_generated_responses_are_the_knowledge_bases_replies(kb):
    assert {name: variants[0]["text"] for name, variants in RESPONSES.items()} == kb.replies
    assert Path(ROOT / "domain").is_dir()
