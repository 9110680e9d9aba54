"""The design note's example script runs against the live server, unchanged but for its import and construction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "design_note.py"


def test_design_note_examples_run(url: str, token: str, seed: dict[str, Any]) -> None:
    env = {**os.environ, "STORESYNC_URL": url, "STORESYNC_TOKEN": token}
    done = subprocess.run([sys.executable, str(EXAMPLE), seed["alice"]], env=env, capture_output=True, text=True, timeout=120)
    artifacts = os.environ.get("STORESYNC_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        (Path(artifacts) / "python-design-note.txt").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{seed['alice']}: 3 files, status ")
    assert any("missing_object" in line for line in lines)
    # Everyone: alice's three files and bob's one (a full run is made when none exists yet).
    everyone = next(line for line in lines if line.startswith("all users: "))
    assert int(everyone.split()[2]) >= 4, everyone
    assert any(line.startswith("repair plan ") and "(dry run: True)" in line for line in lines)
    assert any(line.startswith(f"event file.uploaded: user {seed['alice']}, file doc-42 (quarterly.pdf)") for line in lines)
