"""Serve the demo page (web/) with the security headers a clinic's page should send.

    .venv/bin/python scripts/serve_demo_page.py --port 8080 --bot-origin http://localhost:5005

Every response carries:

- Content-Security-Policy: scripts, styles, images and fonts from the page's own
  origin only, no inline script or style, connections to the page's origin and
  the bot's origins (http(s) and ws(s)), no plugins, no framing by other sites;
- X-Content-Type-Options: nosniff; Referrer-Policy: no-referrer.

The bot's origins come from --bot-origin (repeatable) or $BOT_ORIGINS
(space-separated). Only the standard library is used.
"""
from __future__ import annotations

import argparse
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterable, List
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parent.parent / "web"


def websocket_origin(origin: str) -> str:
    """The WebSocket origin of an http(s) origin (http -> ws, https -> wss)."""
    parts = urlsplit(origin)
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"


def content_security_policy(bot_origins: Iterable[str]) -> str:
    """The page's policy: its own origin, plus connections to the bot's origins."""
    connect = ["'self'"]
    for origin in bot_origins:
        connect += [origin, websocket_origin(origin)]
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", f"connect-src {' '.join(connect)}", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'self'",
    ])


def security_headers(bot_origins: Iterable[str]) -> Dict[str, str]:
    """Every header the demo page is served with."""
    return {
        "Content-Security-Policy": content_security_policy(bot_origins),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class SecureHandler(SimpleHTTPRequestHandler):
    """Static files from web/, with the security headers and without caching."""

    def __init__(self, *args: Any, headers: Dict[str, str], **kwargs: Any) -> None:
        self.extra_headers = headers
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--directory", type=Path, default=WEB)
    parser.add_argument("--bot-origin", action="append", default=[],
                        help="the Rasa server's origin, e.g. http://localhost:5005 (repeatable)")
    args = parser.parse_args(argv)
    origins = args.bot_origin or os.environ.get("BOT_ORIGINS", "http://localhost:5005").split()
    handler = partial(SecureHandler, directory=str(args.directory), headers=security_headers(origins))
    with ThreadingHTTPServer((args.bind, args.port), handler) as server:
        print(f"Serving {args.directory} on http://{args.bind}:{args.port}/ (bot: {' '.join(origins)})", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
