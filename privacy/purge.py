"""Delete conversations older than the retention period (schedule it daily).

    python -m privacy.purge [--days 30] [--endpoints endpoints.yml]

`--days` defaults to $RETENTION_DAYS, else 30: the period the privacy notice
tells visitors. Prints how many conversations were deleted, never their
content.
"""
from __future__ import annotations

import argparse
import sys

from rasa.core.utils import read_endpoints_from_path

from assistant.privacy import retention_days
from privacy.tracker_store import PrivacySQLTrackerStore


def store_from_endpoints(path: str) -> PrivacySQLTrackerStore:
    """The tracker store configured in an endpoints file."""
    config = read_endpoints_from_path(path).tracker_store
    if config is None or not str(config.type or "").endswith("PrivacySQLTrackerStore"):
        raise SystemExit(f"{path}: tracker_store must be privacy.tracker_store.PrivacySQLTrackerStore")
    kwargs = {k: v for k, v in config.kwargs.items() if k != "type"}
    return PrivacySQLTrackerStore(host=config.url, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=retention_days())
    parser.add_argument("--endpoints", default="endpoints.yml")
    args = parser.parse_args()
    if args.days <= 0:
        parser.error("--days must be positive")
    deleted = store_from_endpoints(args.endpoints).purge_older_than(args.days)
    print(f"Deleted {len(deleted)} conversation(s) older than {args.days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
