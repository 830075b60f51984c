"""Write the clinic's report: one self-contained HTML page of counts with charts.

    python -m clinic_view.report [--endpoints endpoints.yml] [--days 30] [--out reports/assistant-report.html]

Reads the tracker store of the endpoints file (SQLite or PostgreSQL), only
conversations within the retention window (--days, default $RETENTION_DAYS,
else 30).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from assistant.knowledge_base import load_knowledge_base
from clinic_view.counts import compute
from clinic_view.events import command_line, read_conversations
from clinic_view.page import render

DEFAULT_OUT = "reports/assistant-report.html"


def write_report(endpoints: str, days: float, out: Path) -> Path:
    """Read the store, count and write the page; return its path."""
    now = dt.datetime.now(dt.timezone.utc)
    conversations = read_conversations(endpoints, days, now.timestamp())
    counts = compute(conversations, load_knowledge_base(), days, now.date())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(counts, now), encoding="utf-8")
    return out


def main() -> int:
    args = command_line(__doc__.splitlines()[0], DEFAULT_OUT)
    print(f"Wrote {write_report(args.endpoints, args.days, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
