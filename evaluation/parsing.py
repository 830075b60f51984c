"""Parse messages with a trained model, as the Rasa server would."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence


async def parse_all(model_path: Path, texts: Sequence[str]) -> List[Dict[str, Any]]:
    """The parse result of each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    return [await agent.parse_message(text) for text in texts]
