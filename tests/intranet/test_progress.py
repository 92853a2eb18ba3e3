"""Long CLI work shows what is running on a terminal, and nothing extra when its output is piped."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.load.documents import minimal_document

REPO = Path(__file__).resolve().parents[2]


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout and stderr on a pseudo-terminal; everything it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=120) == 0, b"".join(chunks).decode(errors="replace")[-2000:]
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_a_load_shows_its_progress_on_a_terminal_only(tmp_path: Path) -> None:
    document = tmp_path / "county.json"
    document.write_text(json.dumps(minimal_document(), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "LIANXI_DATABASE_URL": f"sqlite://{tmp_path / 'lianxi.db'}", "COLUMNS": "160"}
    drawn = _on_a_terminal([sys.executable, "-m", "server.cli", "load", str(document)], env)
    assert "validating and writing" in drawn
    piped = subprocess.run([sys.executable, "-m", "server.cli", "load", str(document)], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120, check=True)
    assert "validating" not in piped.stderr + piped.stdout
