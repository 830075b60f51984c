"""The clinic file (clinic.yml): who runs the assistant, loaded and checked at start-up.

Every field is optional; an empty file (or none) means a skincare site with
no clinic. A malformed value stops the action server and the Rasa server
when they start (this module loads the file on import), with a message that
names the field. $CLINIC_FILE points to another file.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlparse

import yaml

logger = logging.getLogger(__name__)

DEFAULT_CLINIC_FILE = Path(__file__).resolve().parent.parent / "clinic.yml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEXT_FIELDS = ("name", "booking_url", "phone", "email", "address")
KNOWN_KEYS = ("example", *TEXT_FIELDS, "opening_hours")
PHONE = re.compile(r"^\+?[0-9 ()\-.]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
CLOSED = "closed"


class ClinicError(ValueError):
    """Raised when the clinic file has an unknown key or a malformed value."""


@dataclass(frozen=True)
class Clinic:
    """The clinic's details; None where the file says nothing.

    `opening_hours`: weekday ("mon") -> its time ranges ("9:00-17:00"), an
    empty tuple when closed; a day that is missing is unknown.
    """

    name: Optional[str] = None
    booking_url: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Dict[str, Tuple[str, ...]] = field(default_factory=dict, hash=False)
    example: bool = False

    @property
    def dial(self) -> Optional[str]:
        """The phone number as a tel: link dials it (+ and digits only)."""
        return re.sub(r"[^0-9+]", "", self.phone) if self.phone else None

    def public(self) -> Dict[str, Any]:
        """What the widget may show: the fields that are set (no visitor data exists here)."""
        details: Dict[str, Any] = {key: getattr(self, key) for key in TEXT_FIELDS if getattr(self, key)}
        if self.phone:
            details["dial"] = self.dial
        return details


def _fail(path: Path, message: str) -> ClinicError:
    return ClinicError(f"{path}: {message}")


def _check_url(path: Path, url: str) -> None:
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise _fail(path, f"booking_url '{url}' must be a web address starting with https:// or http://")


def _check_phone(path: Path, phone: str) -> None:
    digits = re.sub(r"\D", "", phone)
    if not PHONE.match(phone) or not 6 <= len(digits) <= 15 or "+" in phone[1:]:
        raise _fail(path, f"phone '{phone}' must be 6 to 15 digits, optionally with a leading + and "
                          "spaces, dashes, dots or brackets (write it in quotes)")


def _check_email(path: Path, email: str) -> None:
    if not EMAIL.match(email):
        raise _fail(path, f"email '{email}' is not an e-mail address")


def _minutes(hours: str, minutes: str) -> Optional[int]:
    """Minutes since midnight of "9:30", or None when it is no time of day."""
    value = int(hours) * 60 + int(minutes)
    return value if int(minutes) < 60 and value <= 24 * 60 else None


def _day_hours(path: Path, day: str, value: Any) -> Tuple[str, ...]:
    """A weekday's time ranges ("9:00-13:00, 14:00-18:00"), or () for closed."""
    hint = f'opening_hours.{day}: write "9:00-17:00" (in quotes), "9:00-13:00, 14:00-18:00" or closed'
    if not isinstance(value, str):
        raise _fail(path, f"{hint}, not {value!r}")
    if value.strip().lower() == CLOSED:
        return ()
    ranges = []
    for part in (p.strip() for p in value.split(",")):
        match = TIME_RANGE.match(part)
        start = _minutes(*match.group(1, 2)) if match else None
        end = _minutes(*match.group(3, 4)) if match else None
        if match is None or start is None or end is None or start >= end:
            raise _fail(path, f"{hint}; '{part}' is not a range of times")
        ranges.append(f"{int(match.group(1))}:{match.group(2)}-{int(match.group(3))}:{match.group(4)}")
    return tuple(ranges)


def _opening_hours(path: Path, value: Any) -> Dict[str, Tuple[str, ...]]:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise _fail(path, "opening_hours must list weekdays (mon: \"9:00-17:00\", sun: closed)")
    unknown = [str(day) for day in value if day not in WEEKDAYS]
    if unknown:
        raise _fail(path, f"opening_hours: unknown day {', '.join(unknown)}; use {', '.join(WEEKDAYS)}")
    return {day: _day_hours(path, day, value[day]) for day in WEEKDAYS if day in value}


def load_clinic(path: Path) -> Optional[Clinic]:
    """The clinic described by a file, or None when it describes none (empty or only comments)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _fail(path, "must be a list of fields (name: ..., phone: ...), or empty for no clinic")
    unknown = sorted(str(key) for key in data if key not in KNOWN_KEYS)
    if unknown:
        raise _fail(path, f"unknown field {', '.join(unknown)}; the fields are {', '.join(KNOWN_KEYS)}")
    texts: Dict[str, Optional[str]] = {}
    for key in TEXT_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise _fail(path, f"{key} must be text (write it in quotes), not {value!r}")
        texts[key] = " ".join(value.split()) if value and value.strip() else None
    if texts["booking_url"]:
        _check_url(path, texts["booking_url"])
    if texts["phone"]:
        _check_phone(path, texts["phone"])
    if texts["email"]:
        _check_email(path, texts["email"])
    hours = _opening_hours(path, data.get("opening_hours"))
    if not any(texts.values()) and not hours:
        return None
    return Clinic(**texts, opening_hours=hours, example=data.get("example") is True)


def clinic_file() -> Path:
    """The clinic file in use: $CLINIC_FILE, or clinic.yml at the project's root."""
    return Path(os.environ.get("CLINIC_FILE") or DEFAULT_CLINIC_FILE)


@lru_cache(maxsize=1)
def clinic() -> Optional[Clinic]:
    """The configured clinic, loaded once per process; None for a site without a clinic.

    A missing default clinic.yml means no clinic; a missing $CLINIC_FILE is an error.
    """
    path = clinic_file()
    if not path.exists() and "CLINIC_FILE" not in os.environ:
        return None
    try:
        found = load_clinic(path)
    except FileNotFoundError:
        raise ClinicError(f"CLINIC_FILE: {path} does not exist") from None
    except yaml.YAMLError as error:
        raise ClinicError(f"{path}: not valid YAML ({error})") from None
    if found is not None and found.example:
        logger.warning("%s still describes the example clinic: replace it with your clinic's details.", path)
    return found


clinic()  # checked when the action server or the Rasa server imports this module, i.e. at start-up
