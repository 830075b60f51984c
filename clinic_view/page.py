"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing from another host.

Every count goes through `shown`: a count from 1 to THRESHOLD - 1 is shown
as "<5" (in tables and charts alike), so that no visitor can be picked out.
Zero is shown: it tells nothing about anyone.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from typing import List, Optional

from clinic_view.charts import bar_chart
from clinic_view.counts import Counts, Rows

THRESHOLD = 5
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 58rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-top: 1px solid #ddd;
       padding-top: 1.2rem; }
.figures { display: flex; gap: 1rem; flex-wrap: wrap; }
.figure { border: 1px solid #ccd; border-radius: .4rem; padding: .6rem 1rem; min-width: 10rem; }
.figure strong { display: block; font-size: 1.6rem; }
svg { width: 100%; max-width: 46rem; height: auto; display: block; }
svg text { font-family: system-ui, sans-serif !important; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { text-align: left; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid #eee; }
td { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .92rem; }
"""


def hidden(count: int) -> bool:
    """True for a count too small to show."""
    return 0 < count < THRESHOLD


def shown(count: int) -> str:
    """A count as the report shows it."""
    return f"<{THRESHOLD}" if hidden(count) else str(count)


def share(count: int, total: int) -> str:
    """The count as a share of the total, unless the count is hidden."""
    if hidden(count) or not total:
        return ""
    return f"{100 * count / total:.0f}%"


def table(table_id: str, rows: Rows, heading: str, total: Optional[int] = None) -> str:
    """The numbers behind a chart."""
    head = f"<tr><th scope='col'>{escape(heading)}</th><th scope='col'>Count</th>"
    head += "<th scope='col'>Share</th></tr>" if total is not None else "</tr>"
    body = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td>{escape(shown(n))}</td>"
        + (f"<td>{share(n, total)}</td>" if total is not None else "") + "</tr>"
        for label, n in rows)
    return f"<table id='{table_id}'>{head}{body}</table>"


def section(table_id: str, title: str, note: str, rows: Rows, heading: str,
            total: Optional[int] = None, vertical: bool = False) -> str:
    """A heading, a sentence on what is counted, the chart and its numbers."""
    labels = [label for label, _ in rows]
    values = [n for _, n in rows]
    chart = bar_chart(labels, values, [hidden(n) for n in values], THRESHOLD, title,
                      horizontal=not vertical, tick_every=3 if vertical else None) if rows else ""
    numbers = table(table_id, rows, heading, total)
    if vertical:
        numbers = f"<details><summary>The numbers</summary>{numbers}</details>"
    return (f"<section aria-labelledby='{table_id}-title'><h2 id='{table_id}-title'>{escape(title)}</h2>"
            f"<p class='note'>{escape(note)}</p>{chart}{numbers}</section>")


def render(counts: Counts, generated: dt.datetime) -> str:
    """The whole page."""
    window = (f"{counts.first_day.isoformat()} to {counts.last_day.isoformat()} (UTC): the last "
              f"{counts.retention_days:g} days, how long conversations are kept")
    parts: List[str] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<title>Skin assistant: the clinic's report</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>How the skin assistant is doing</h1>",
        f"<p>Conversations from {escape(window)}. Made {escape(generated.strftime('%Y-%m-%d %H:%M'))} UTC.</p>",
        f"<p class='note'>Counts only: no message, answer or conversation of any visitor is shown. Any count "
        f"from 1 to {THRESHOLD - 1} is shown as \"&lt;{THRESHOLD}\" (fewer than {THRESHOLD}), in the tables and "
        "in the charts (a hatched bar), so that no one can be picked out. A conversation is one visit: "
        "it ends after an hour without messages.</p>",
        "<div class='figures'>",
        f"<div class='figure' id='total-conversations'><strong>{escape(shown(counts.conversations))}</strong>"
        "conversations</div>",
        f"<div class='figure' id='total-messages'><strong>{escape(shown(counts.typed_messages))}</strong>"
        "messages typed by visitors</div></div>",
        section("per-day", "Conversations per day", "Conversations by the day the visitor first wrote (UTC).",
                counts.per_day, "Day", vertical=True),
        section("concerns", "Concerns asked about",
                "Conversations in which each concern was recognised or chosen; one conversation can have several.",
                counts.concerns, "Concern", total=counts.conversations),
        section("funnel", "The questionnaire",
                "Conversations in which the questions were offered, started and finished (the last question is "
                "the safety check).", counts.funnel, "Step"),
        section("stopped-at", "Where people stopped the questionnaire",
                "Conversations that started the questions but did not finish them, by the last question asked.",
                counts.stopped_at, "Last question asked"),
        section("red-flags", "Red flags raised",
                "Conversations in which a visitor described a sign that needs prompt care, by kind. Each was "
                "answered with where to get help.", counts.red_flags, "Kind"),
        section("cautions", "Cautions declared in the safety check",
                "Conversations in which each caution was declared; one conversation can declare several.",
                counts.cautions, "Caution", total=counts.conversations),
        section("understanding", "When the assistant did not understand",
                "Visitor messages, and their share of all typed messages.",
                counts.understanding, "What happened", total=counts.typed_messages),
        section("consultation", "Consultation buttons clicked", "Clicks, by button.",
                counts.consultation, "Button"),
        "</main></body></html>",
    ]
    return "\n".join(parts)
