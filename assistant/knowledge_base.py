"""Load and validate the knowledge base (`assistant/knowledge/`): every text a visitor reads.

The knowledge base is the single source of truth for concerns and for every
reply. NLU synonyms and lookup tables and the fixed replies of the domain
(`pipeline/generated.py`), the spaCy patterns (`pipeline/spacy_pipeline.py`)
and the answers (`assistant/decisions.py`) all derive from it. This module is
its one loader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from assistant.contract import DETAILS

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"
CONCERN_ID = re.compile(r"^[a-z][a-z_]*$")


class KnowledgeBaseError(ValueError):
    """Raised when a knowledge-base file is missing a section or malformed."""


URL = re.compile(r"^https://\S+$")


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a title and a link (a DOI or the page's address)."""

    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Term:
    """A term a visitor may not know, and its plain explanation."""

    term: str
    explain: str
    spellings: Tuple[str, ...]


@dataclass(frozen=True)
class Concern:
    """One skin concern with everything the assistant may say about it."""

    id: str
    name: str
    synonyms: Tuple[str, ...]
    patterns: Tuple[str, ...]
    summary: str
    short: str
    # Shown on request, one idea each: evidence, expectations, options, cautions.
    details: Dict[str, str] = field(hash=False)
    professional: str
    sources: Tuple[Source, ...]
    # FAQ key -> what is particular to this concern ("how many sessions for acne scars?")
    questions: Dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Option:
    """One answer option of a questionnaire question."""

    id: str
    title: str
    synonyms: Tuple[str, ...]
    entity: bool = True
    note: Optional[str] = None
    # A caution that matters only while it lasts (pregnancy, a breakout): a
    # mention of it in the past ("stretch marks from my pregnancy") is none.
    current_only: bool = False
    # The option this one was split out of (evaluation labels written before
    # the split name that one).
    split_from: Optional[str] = None


@dataclass(frozen=True)
class Faq:
    """A frequently asked question: the topic `key` of the `ask_question` intent."""

    key: str
    question: str
    answer: str
    sources: Tuple[Source, ...]
    # A second message, for a topic that needs two ideas (normal recovery and the warning signs).
    more: Optional[str] = None


LEVELS = ("emergency", "urgent", "soon")


@dataclass(frozen=True)
class RedFlag:
    """A kind of red flag: its level of urgency, its reply, its warning signs and its phrases.

    `reply`: what the assistant says when it is sure (the kind's advice with
    its level's reply, or a reply of its own); `watch_for`: the warning signs
    and what to do if they appear, added to an answer when a message only may
    tell of it (safety-netting).
    `accident_words` and `accident_cues`: a phrase match containing one of the
    words is no red flag when the message also has one of the cues ("I cut
    myself shaving"). `exceptions`: harmless phrases that contain a match
    ("hay fever"). `context_words` and `context_cues`: a match containing one
    of the words counts only when the message has one of the cues.
    `question_words` and `question_cues`: a match containing one of the words
    tells of no red flag now when the message asks about a risk or tells of
    the past ("can it cause an allergic reaction?", "I once had an allergic
    reaction"): the match is set aside and the safety reader decides.
    `escalate`: another kind -> cues: a match in a message with one of the
    cues is that kind (a cold sore near the eye is an eye problem).
    """

    kind: str
    level: str
    intent: str
    reply: str
    watch_for: str
    phrases: Tuple[str, ...]
    accident_words: Tuple[str, ...] = ()
    accident_cues: Tuple[str, ...] = ()
    exceptions: Tuple[str, ...] = ()
    context_words: Tuple[str, ...] = ()
    context_cues: Tuple[str, ...] = ()
    question_words: Tuple[str, ...] = ()
    question_cues: Tuple[str, ...] = ()
    escalate: Dict[str, Tuple[str, ...]] = field(default_factory=dict, hash=False)

    @property
    def response(self) -> str:
        """The domain response that sends the reply (the rule of `intent` names it)."""
        return f"utter_{self.intent}"


@dataclass(frozen=True)
class KnowledgeBase:
    """All content: concerns, questionnaire, FAQ, red flags and shared texts."""

    concerns: Dict[str, Concern]
    general: Dict[str, str] = field(default_factory=dict)
    options: Dict[str, Tuple[Option, ...]] = field(default_factory=dict)
    questions: Dict[str, dict] = field(default_factory=dict)
    questionnaire: Dict[str, Any] = field(default_factory=dict)
    procedure: Dict[str, Any] = field(default_factory=dict)
    faq: Dict[str, Faq] = field(default_factory=dict)
    red_flags: Tuple[RedFlag, ...] = ()
    glossary: Tuple[Term, ...] = ()
    layers: Dict[str, Any] = field(default_factory=dict)
    # The next step after the information (next_step.yml): consultation texts, the PDF's words.
    next_step: Dict[str, Any] = field(default_factory=dict)
    # The fixed replies Rasa sends itself (replies.yml, written into domain/responses.yml).
    replies: Dict[str, str] = field(default_factory=dict)
    # Requests said anywhere in a sentence (requests.yml): intent -> its phrases and exceptions.
    requests: Tuple["Request", ...] = ()
    # Follow-ups about the conversation's concern (follow_ups.yml): detail -> its phrases.
    follow_ups: Dict[str, Tuple["re.Pattern[str]", ...]] = field(default_factory=dict)
    # What to expect in the days after a treatment (aftercare.yml); `sources` as Source objects.
    aftercare: Dict[str, Any] = field(default_factory=dict)

    def get(self, concern_id: str) -> Optional[Concern]:
        """Return the concern with this canonical id, or None."""
        return self.concerns.get(concern_id)

    @property
    def ids(self) -> List[str]:
        """Canonical concern ids in a stable order."""
        return list(self.concerns)

    def option(self, group: str, option_id: str) -> Optional[Option]:
        """The answer option with this id in a group, or None."""
        return next((o for o in self.options.get(group, ()) if o.id == option_id), None)

    def recommendation(self, concern: Concern) -> str:
        """The closing "see a qualified professional" sentence for a concern."""
        return self.general["recommendation"].format(professional=concern.professional)


def _require(data: dict, key: str, path: Path) -> Any:
    value = data.get(key)
    if value in (None, "", [], {}):
        raise KnowledgeBaseError(f"{path.name}: missing or empty section '{key}'")
    return value


def _strings(data: dict, key: str, path: Path, required: bool = True) -> Tuple[str, ...]:
    values = _require(data, key, path) if required else data.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise KnowledgeBaseError(f"{path.name}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in values)


def _text(data: dict, key: str, path: Path) -> str:
    value = _require(data, key, path)
    if not isinstance(value, str):
        raise KnowledgeBaseError(f"{path.name}: '{key}' must be text")
    return " ".join(value.split())



Registry = Dict[str, Source]


def load_concern(path: Path, registry: Registry) -> Concern:
    """Read one concern file and check that every section is present."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    concern_id = _text(data, "id", path)
    if not CONCERN_ID.match(concern_id) or concern_id != path.stem:
        raise KnowledgeBaseError(f"{path.name}: id '{concern_id}' must match the file name")
    details = _require(data, "details", path)
    return Concern(
        id=concern_id,
        name=_text(data, "name", path),
        synonyms=_strings(data, "synonyms", path),
        patterns=_strings(data, "patterns", path, required=False),
        summary=_text(data, "summary", path),
        short=_text(data, "short", path),
        details={key: _text(details, key, path) for key in DETAILS},
        professional=_text(data, "professional", path),
        sources=_sources(data.get("sources"), path, registry),
        questions={str(k): " ".join(str(v).split()) for k, v in (data.get("questions") or {}).items()},
    )


def load_sources(path: Path) -> Registry:
    """The source registry: every source with a title and a link."""
    registry = {}
    for source_id, entry in _yaml(path).items():
        url = str((entry or {}).get("url") or "")
        if not URL.match(url):
            raise KnowledgeBaseError(f"{path.name}: source '{source_id}' needs an https link (a DOI or URL)")
        registry[str(source_id)] = Source(str(source_id), _text(entry, "title", path), url)
    return registry


def _sources(ids: Optional[list], path: Path, registry: Registry) -> Tuple[Source, ...]:
    if not ids:
        raise KnowledgeBaseError(f"{path.name}: every entry needs at least one source in 'sources'")
    unknown = [i for i in ids if i not in registry]
    if unknown:
        raise KnowledgeBaseError(f"{path.name}: unknown sources {unknown} (see sources.yml)")
    return tuple(registry[i] for i in ids)


def load_glossary(path: Path) -> Tuple[Term, ...]:
    """The glossary: each term, its explanation and other spellings."""
    return tuple(
        Term(str(term), _text(entry, "explain", path), (str(term), *_strings(entry, "also", path, required=False)))
        for term, entry in _yaml(path).items()
    )


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _folded(value: Any) -> Any:
    """Texts with their white space folded; a list of links ("- ...") keeps one link per line."""
    if isinstance(value, dict):
        return {k: _folded(v) for k, v in value.items()}
    paragraphs = re.split(r"\n(?=- )", str(value).strip())
    return "\n".join(" ".join(p.split()) for p in paragraphs)


def load_replies(path: Path) -> Dict[str, str]:
    """The fixed replies by response name (utter_...)."""
    replies = {str(name): _text({name: text}, name, path) for name, text in _yaml(path).items()}
    unnamed = [name for name in replies if not name.startswith("utter_")]
    if unnamed:
        raise KnowledgeBaseError(f"{path.name}: reply names must start with utter_: {unnamed}")
    return replies


def load_options(path: Path) -> Dict[str, Tuple[Option, ...]]:
    """Answer options per questionnaire group."""
    groups = {}
    for group, entries in _yaml(path).items():
        groups[group] = tuple(
            Option(
                id=_text(e, "id", path),
                title=_text(e, "title", path),
                synonyms=_strings(e, "synonyms", path),
                entity=e.get("entity", True),
                note=" ".join(e["note"].split()) if e.get("note") else None,
                current_only=bool(e.get("current_only", False)),
                split_from=e.get("split_from"),
            )
            for e in entries
        )
    return groups


def load_faq(path: Path, registry: Registry) -> Dict[str, Faq]:
    """FAQ entries by key."""
    return {
        key: Faq(key, _text(e, "question", path), _text(e, "answer", path),
                 _sources(e.get("sources"), path, registry), " ".join(e["more"].split()) if e.get("more") else None)
        for key, e in _yaml(path).items()
    }


def _red_flag(kind: str, entry: dict, levels: Dict[str, Dict[str, str]], path: Path) -> RedFlag:
    level = _text(entry, "level", path)
    if level not in levels:
        raise KnowledgeBaseError(f"{path.name}: {kind} has level '{level}', not one of {list(levels)}")
    intent = _text(entry, "intent", path)
    if intent != f"red_flag_{kind}":
        raise KnowledgeBaseError(f"{path.name}: the intent of {kind} must be red_flag_{kind}")
    if entry.get("reply"):
        reply = _text(entry, "reply", path)
    else:
        words = levels[level]
        reply = " ".join(filter(None, [words.get("first"), _text(entry, "advice", path), words["then"]]))
    escalate = {str(other): _strings(entry["escalate"], other, path) for other in entry.get("escalate") or {}}
    return RedFlag(
        kind, level, intent, reply, _text(entry, "watch_for", path), _strings(entry, "phrases", path),
        _strings(entry, "accident_words", path, required=False), _strings(entry, "accident_cues", path, required=False),
        _strings(entry, "exceptions", path, required=False),
        _strings(entry, "context_words", path, required=False), _strings(entry, "context_cues", path, required=False),
        _strings(entry, "question_words", path, required=False), _strings(entry, "question_cues", path, required=False),
        escalate,
    )


@dataclass(frozen=True)
class Request:
    """A request a visitor may make anywhere in a sentence: its intent, its phrases, its exceptions."""

    intent: str
    phrases: Tuple["re.Pattern[str]", ...]
    unless: Tuple["re.Pattern[str]", ...] = ()
    ask_first: Tuple["re.Pattern[str]", ...] = ()


def load_requests(path: Path) -> Tuple[Request, ...]:
    """The requests, in the order they win; each expression compiled (a bad one names its intent)."""
    requests = []
    for intent, entry in _yaml(path).items():
        try:
            compiled = [tuple(re.compile(p) for p in _strings(entry, key, path, required=key == "phrases"))
                        for key in ("phrases", "unless", "ask_first")]
        except re.error as error:
            raise KnowledgeBaseError(f"{path.name}: {intent}: {error}") from error
        requests.append(Request(str(intent), *compiled))
    return tuple(requests)


def load_follow_ups(path: Path) -> Dict[str, Tuple["re.Pattern[str]", ...]]:
    """Each concern detail's follow-up phrases, compiled; only the details of layers.yml."""
    data = _yaml(path)
    unknown = set(data) - set(DETAILS)
    if unknown:
        raise KnowledgeBaseError(f"{path.name}: {sorted(unknown)} are not details ({list(DETAILS)})")
    try:
        return {str(detail): tuple(re.compile(p) for p in _strings(data, detail, path)) for detail in data}
    except re.error as error:
        raise KnowledgeBaseError(f"{path.name}: {error}") from error


def load_aftercare(path: Path, registry: Registry) -> Dict[str, Any]:
    """The aftercare texts, folded, with their sources and stages checked."""
    data = _yaml(path)
    stages = data.get("stages") or []
    days = [s.get("until_day") for s in stages]
    if not stages or days[-1] is not None or days[:-1] != sorted(d for d in days[:-1] if isinstance(d, int)):
        raise KnowledgeBaseError(f"{path.name}: 'stages' must rise by `until_day` and end with null")
    folded = {k: _folded(v) for k, v in data.items() if k not in ("stages", "sources", "about_recovery", "within_days")}
    return {**folded, "stages": [(s["until_day"], _text(s, "text", path)) for s in stages],
            "sources": _sources(data.get("sources"), path, registry),
            "about_recovery": _strings(data, "about_recovery", path), "within_days": int(data["within_days"])}


def load_red_flags(path: Path) -> Tuple[RedFlag, ...]:
    """Red-flag kinds, in the order they win (self-harm first, then the most urgent)."""
    data = _yaml(path)
    levels = {level: {part: _text(data["levels"][level], part, path) for part in data["levels"][level]}
              for level in LEVELS}
    flags = tuple(_red_flag(kind, entry, levels, path) for kind, entry in data["kinds"].items())
    unknown = {other for flag in flags for other in flag.escalate} - {flag.kind for flag in flags}
    if unknown:
        raise KnowledgeBaseError(f"{path.name}: escalation to unknown kinds {sorted(unknown)}")
    return flags


def load_knowledge_base(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Load every knowledge-base file; raise on any problem."""
    registry = load_sources(directory / "sources.yml")
    loaded = [load_concern(p, registry) for p in sorted((directory / "concerns").glob("*.yml"))]
    concerns = {c.id: c for c in loaded}
    if not concerns:
        raise KnowledgeBaseError(f"no concern files under {directory / 'concerns'}")
    owner: Dict[str, str] = {}
    for concern in concerns.values():
        for synonym in concern.synonyms:
            key = synonym.lower()
            if owner.setdefault(key, concern.id) != concern.id:
                raise KnowledgeBaseError(
                    f"synonym '{synonym}' belongs to both {owner[key]} and {concern.id}"
                )
    general = _yaml(directory / "general.yml")
    if "{professional}" not in general.get("recommendation", ""):
        raise KnowledgeBaseError("general.yml: 'recommendation' must contain {professional}")
    if "qualified professional" not in general.get("short_recommendation", ""):
        raise KnowledgeBaseError("general.yml: 'short_recommendation' must recommend a qualified professional")
    questionnaire = _yaml(directory / "questionnaire.yml")
    procedure = _yaml(directory / "procedure.yml")
    procedure["sources"] = _sources(procedure.get("sources"), directory / "procedure.yml", registry)
    red_flags = load_red_flags(directory / "red_flags.yml")
    faq = load_faq(directory / "faq.yml", registry)
    catalogue = load_faq(directory / "faq_catalogue.yml", registry)
    if set(faq) & set(catalogue):
        raise KnowledgeBaseError(f"FAQ topics defined twice: {sorted(set(faq) & set(catalogue))}")
    faq.update(catalogue)
    for concern in concerns.values():
        unknown = set(concern.questions) - set(faq)
        if unknown:
            raise KnowledgeBaseError(f"{concern.id}.yml: questions {sorted(unknown)} are not FAQ keys")
    return KnowledgeBase(
        concerns=concerns,
        general={k: " ".join(str(v).split()) for k, v in general.items()},
        options=load_options(directory / "options.yml"),
        questions={k: dict(v, text=" ".join(v["text"].split())) for k, v in questionnaire["questions"].items()},
        questionnaire=questionnaire,
        procedure=procedure,
        faq=faq,
        red_flags=red_flags,
        glossary=load_glossary(directory / "glossary.yml"),
        layers=_yaml(directory / "layers.yml"),
        next_step=_folded(_yaml(directory / "next_step.yml")),
        replies={**load_replies(directory / "replies.yml"), **{flag.response: flag.reply for flag in red_flags}},
        requests=load_requests(directory / "requests.yml"),
        aftercare=load_aftercare(directory / "aftercare.yml", registry),
        follow_ups=load_follow_ups(directory / "follow_ups.yml"),
    )


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base, loaded once per process."""
    return load_knowledge_base()
