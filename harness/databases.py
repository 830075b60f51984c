"""Real PostgreSQL and Redis servers on loopback for tests (Debian packages)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List


def _as_service_user(args: List[str], user: str) -> List[str]:
    """PostgreSQL refuses to run as root: run as its own user when we are root."""
    return ["runuser", "-u", user, "--", *args] if os.geteuid() == 0 else args


@dataclass
class Postgres:
    """A throw-away PostgreSQL cluster."""

    port: int
    data_dir: Path
    user: str = "rasa"
    password: str = "rasa-test-password"
    database: str = "rasa"
    _bin_dir: Path = Path("/usr/bin")
    _owner: str = ""
    _root: Path = Path(".")

    @classmethod
    def start(cls, root: Path, port: int) -> "Postgres":
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        bin_dir = Path(bins[-1]).parent
        owner = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root, owner)
        data_dir = root / "data"
        run = lambda *args: subprocess.run(_as_service_user(list(args), owner), check=True,  # noqa: E731
                                           capture_output=True, text=True)
        run(str(bin_dir / "initdb"), "-D", str(data_dir), "-U", owner, "-A", "trust")
        run(str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(root / "postgres.log"), "-w", "start",
            "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1")
        server = cls(port=port, data_dir=data_dir)
        server._bin_dir, server._owner, server._root = bin_dir, owner, root
        psql = [str(bin_dir / "psql"), "-h", str(root), "-p", str(port), "-U", owner, "-d", "postgres", "-c"]
        run(*psql, f"CREATE USER {server.user} WITH PASSWORD '{server.password}'")
        run(*psql, f"CREATE DATABASE {server.database} OWNER {server.user}")
        return server

    def stop(self) -> None:
        subprocess.run(_as_service_user([str(self._bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                                         "stop"], self._owner), capture_output=True)

    def create_database(self, name: str) -> str:
        """A new, empty database owned by the test user (for tests that count everything stored)."""
        subprocess.run(_as_service_user([str(self._bin_dir / "psql"), "-h", str(self._root), "-p", str(self.port),
                                         "-U", self._owner, "-d", "postgres", "-c",
                                         f"CREATE DATABASE {name} OWNER {self.user}"], self._owner),
                       check=True, capture_output=True, text=True)
        return name

    def tracker_store_yaml(self, database: str = "") -> str:
        """The endpoints-file section for a tracker store on this server (its own database by default)."""
        return (
            "tracker_store:\n  type: privacy.tracker_store.PrivacySQLTrackerStore\n  dialect: postgresql\n"
            f"  url: 127.0.0.1\n  port: {self.port}\n  db: {database or self.database}\n"
            f"  username: {self.user}\n  password: {self.password}\n"
        )

    def count_events(self, sender: str) -> int:
        import psycopg2

        with psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, password=self.password,
                              dbname=self.database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM events WHERE sender_id = %s", (sender,))
            return cursor.fetchone()[0]


@dataclass
class Redis:
    """A throw-away Redis server."""

    port: int
    process: subprocess.Popen

    @classmethod
    def start(cls, root: Path, port: int) -> "Redis":
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("Redis is not installed (apt-get install redis-server)")
        root.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(root)], stdout=open(root / "redis.log", "wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
                             ).stdout.strip() != "PONG":
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("Redis did not start")
            time.sleep(0.2)
        return cls(port, process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
