"""What a clinician corrected stays corrected: each fact's text and the source it cites."""
from __future__ import annotations

import pytest

from assistant.knowledge_base import KNOWLEDGE_DIR, load_sources
from assistant.matching import match_options


def source_ids(entry):
    return [s if isinstance(s, str) else s.id for s in entry.sources]


def test_the_fda_authorised_uses_are_all_named(kb):
    note = kb.option("cautions", "under_18").note
    assert "acne scars on the face" in note and "wrinkles on the face" in note and "tummy" in note
    assert "22 and over" in note and "only use" not in note


def test_isotretinoin_gives_the_device_label_and_the_review_and_sends_to_the_prescriber(kb):
    answer = kb.faq["retinoids_acids"].answer
    assert "Device makers say not to needle" in answer and "too little evidence" in answer
    assert "prescribed" in answer and "not done while you take them" not in answer
    assert {"spring_isotretinoin", "fda_skinpen_denovo"} <= set(source_ids(kb.faq["retinoids_acids"]))


def test_rf_microneedling_risks_come_from_the_fda_safety_communication(kb):
    rf = kb.faq["compare_rf_microneedling"]
    for harm in ("burns", "scarring", "fat loss", "nerve damage", "surgery", "never one to do at home"):
        assert harm in rf.answer
    assert source_ids(rf) == ["fda_rf_microneedling_safety"]
    for concern in ("loose_skin", "wrinkles"):
        options = kb.concerns[concern].details["options"]
        assert "FDA has warned" in options and "never for home use" in options


def test_overstatements_are_gone(kb):
    assert "stronger evidence" not in kb.faq["compare_lasers"].answer
    stretch = kb.concerns["stretch_marks"]
    assert "no clear difference" in stretch.details["evidence"] and "more satisfied" in stretch.details["evidence"]
    assert "hurt more" not in stretch.short and "One trial" in stretch.details["evidence"]
    assert "leading group" not in kb.concerns["texture_tone"].details["evidence"]
    assert "does not accept claims" not in kb.faq["serums"].answer
    for key in ("home_rollers", "needle_depth"):
        answer = kb.faq[key].answer
        assert "shorter, duller" not in answer and "as long as clinic ones" in answer
        assert "fda_microneedling_consumer" in source_ids(kb.faq[key])
    assert not kb.faq["home_rollers"].answer.startswith("No.")
    assert "shar" in kb.faq["home_rollers"].answer


def test_sources_point_at_what_they_support(kb):
    cdc = load_sources(KNOWLEDGE_DIR / "sources.yml")["cdc_vampire_facial_hiv"]
    assert "73(16):372-376" in cdc.title and cdc.url.endswith("mm7316a3.htm")
    for key in ("downtime_aftercare", "next_day_look", "normal_recovery", "sun_after", "time_off_work",
                "needle_depth"):
        assert "aad_microneedling" not in source_ids(kb.faq[key]), key
        assert "minutilli_acne_scars" in source_ids(kb.faq[key]), key


def test_a_self_report_stays_a_self_report_and_stretch_marks_can_be_dark(kb):
    note = kb.questionnaire["notes"]["darkens_easily"]
    assert " ".join(note.split()).startswith("You said your skin darkens easily") and "skin like yours" not in note
    assert "brown or dark" in kb.concerns["stretch_marks"].summary


@pytest.mark.parametrize("caution_id, said", [
    ("cold_sore_history", "I get cold sores now and then"),
    ("blood_thinners", "I take Eliquis for my heart"),
    ("implants", "I've got a pacemaker"),
    ("recent_fillers", "I had lip filler last month"),
    ("heart_or_epilepsy", "I have epilepsy, well controlled"),
    ("low_platelets", "my platelets are low, I have ITP"),
])
def test_the_safety_screen_covers_what_a_clinician_would_ask(kb, caution_id, said):
    option = kb.option("cautions", caution_id)
    assert option is not None and option.note and ("practitioner" in option.note or "doctor" in option.note)
    assert caution_id in match_options(kb.options["cautions"], said)
