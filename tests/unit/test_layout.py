"""Who may import whom: the core imports no framework, the Rasa server never imports the action server."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Set

import pytest

from harness.servers import ROOT

FRAMEWORKS = {"rasa", "rasa_sdk", "sanic", "socketio", "tensorflow", "spacy"}
PROJECT = {"assistant", "actions", "nlp", "channels", "privacy", "pipeline", "evaluation", "harness",
           "clinic_view", "bench", "tests", "scripts"}
# Package -> the project's packages and the frameworks it must never import.
FORBIDDEN = {
    "assistant": (PROJECT - {"assistant"}) | FRAMEWORKS,
    "actions": {"nlp", "channels", "privacy", "pipeline", "evaluation", "harness", "clinic_view", "bench", "tests",
                "rasa", "sanic", "socketio"},
    "nlp": {"actions", "channels", "privacy", "evaluation", "harness", "clinic_view", "bench", "tests"},
    "channels": {"actions", "nlp", "evaluation", "harness", "clinic_view", "bench", "tests"},
    "privacy": {"actions", "nlp", "channels", "evaluation", "harness", "clinic_view", "bench", "tests"},
    "pipeline": {"actions", "nlp", "channels", "privacy", "evaluation", "harness", "clinic_view", "bench", "tests"},
    "evaluation": {"actions", "channels", "privacy", "clinic_view", "bench", "tests"},  # harness: real servers
    "clinic_view": {"actions", "nlp", "channels", "pipeline", "evaluation", "harness", "bench", "tests"},
    "harness": PROJECT - {"harness"},
    "bench": {"actions", "nlp", "channels", "privacy", "pipeline", "evaluation", "clinic_view", "tests"},
}


def imported(path: Path) -> Iterator[str]:
    """The top-level names of every module a file imports, also inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


def imports_of(package: str) -> Set[str]:
    return {name for path in (ROOT / package).rglob("*.py") for name in imported(path)}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_its_layer_may(package):
    assert imports_of(package) & FORBIDDEN[package] == set()


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_says_what_it_holds_and_what_it_may_import(package):
    docstring = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert len(docstring.split()) >= 12 and "import" in docstring, package
