"""The clinic file: what it accepts, and the error a clinic's staff would read when it is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.clinic import DEFAULT_CLINIC_FILE, ClinicError, clinic, load_clinic


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clinic.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_is_the_documented_example_clinic():
    found = load_clinic(DEFAULT_CLINIC_FILE)
    assert found is not None and found.example
    assert found.name == "Example Skin Clinic"
    assert found.booking_url and "example.com" in found.booking_url
    assert found.dial == "+442079460123"
    assert found.opening_hours["sat"] == ("10:00-14:00",) and found.opening_hours["sun"] == ()
    assert found.opening_hours["thu"] == ("9:00-13:00", "14:00-20:00")


@pytest.mark.parametrize("text", ["", "# a skincare site, no clinic\n", "example: true\n", "name:\nphone:\n"])
def test_an_empty_file_means_no_clinic(tmp_path, text):
    assert load_clinic(write(tmp_path, text)) is None


def test_every_field_is_optional(tmp_path):
    found = load_clinic(write(tmp_path, 'phone: "020 7946 0999"\n'))
    assert found is not None and found.name is None and found.booking_url is None
    assert found.public() == {"phone": "020 7946 0999", "dial": "02079460999"}


@pytest.mark.parametrize("text, named", [
    ("name: A\nwebsite: https://a.example\n", "unknown field website"),
    ("booking_url: www.example.com/book\n", "booking_url 'www.example.com/book' must be a web address"),
    ("booking_url: javascript:alert(1)\n", "booking_url"),
    ('phone: "call us"\n', "phone 'call us'"),
    ('phone: "12 34"\n', "phone '12 34'"),
    ("phone: 442079460999\n", "phone must be text (write it in quotes)"),
    ("email: hello.example.com\n", "email 'hello.example.com' is not an e-mail address"),
    ("opening_hours:\n  saturday: closed\n", "unknown day saturday"),
    ('opening_hours:\n  mon: "9-5"\n', "'9-5' is not a range of times"),
    ('opening_hours:\n  mon: "17:00-9:00"\n', "'17:00-9:00' is not a range of times"),
    ('opening_hours:\n  mon: "9:00-25:00"\n', "opening_hours.mon"),
    ("opening_hours:\n  sun: off\n", "opening_hours.sun"),
    ("- name: A\n", "must be a list of fields"),
])
def test_a_malformed_value_is_refused_with_a_message_naming_it(tmp_path, text, named):
    path = write(tmp_path, text)
    with pytest.raises(ClinicError) as error:
        load_clinic(path)
    assert named in str(error.value) and str(path) in str(error.value)


def test_clinic_file_points_to_another_file_and_a_missing_one_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINIC_FILE", str(write(tmp_path, "name: Other Clinic\n")))
    clinic.cache_clear()
    try:
        assert clinic().name == "Other Clinic"
        monkeypatch.setenv("CLINIC_FILE", str(tmp_path / "missing.yml"))
        clinic.cache_clear()
        with pytest.raises(ClinicError, match="does not exist"):
            clinic()
    finally:
        clinic.cache_clear()


def test_the_action_server_refuses_to_start_with_a_bad_clinic_file(tmp_path):
    import subprocess

    from harness.servers import ROOT, VENV_BIN, free_port, server_env

    bad = write(tmp_path, "booking_url: not a url\n")
    result = subprocess.run([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(free_port())], cwd=ROOT,
                            env=server_env(CLINIC_FILE=str(bad), RASA_TELEMETRY_ENABLED="false"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "booking_url 'not a url' must be a web address" in result.stdout + result.stderr
