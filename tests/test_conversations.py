"""Conversation tests: `rasa test core` on tests/test_stories.yml must make no wrong prediction."""
from __future__ import annotations

import subprocess

from harness.servers import ROOT, VENV_BIN, server_env


def test_stories_are_predicted_without_errors(trained_model, artifacts):
    out = artifacts / "conversation-tests"
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--model", str(trained_model),
         "--stories", str(ROOT / "tests" / "test_stories.yml"), "--out", str(out),
         "--fail-on-prediction-errors"],
        cwd=ROOT, env=server_env(), capture_output=True, text=True, timeout=600,
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{details}"
    assert (out / "story_report.json").exists()
