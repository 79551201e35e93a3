"""A session that dies: a separate process opens a file, gives an answer, journals it with the public
autosave API (as the app's timer does) and is then killed with SIGKILL, leaving its journal behind the
way a crash or a power cut would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SESSION = """
import sys, time
from pathlib import Path
from app.domain.assessment import Answer
from app.storage.assessment_files import open_assessment
from app.storage.journal import AutosaveJournal

source, key, password, client = Path(sys.argv[1]), sys.argv[2], sys.argv[3] or None, sys.argv[4]
assessment, revision = open_assessment(source, password)
assessment.organisation_answers["client_name"] = Answer(value=client)
AutosaveJournal(key, source, password, base_revision=revision).write(assessment)
print("journaled", flush=True)
time.sleep(120)  # still at work when it is killed
"""


def crash_after_journaling(source: Path, key: str, client: str, password: str | None = None) -> None:
    """Run the session in the current user folder (LLM_ADVISOR_HOME) and SIGKILL it once it journaled."""
    session = subprocess.Popen([sys.executable, "-c", SESSION, str(source), key, password or "", client],
                               cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, text=True)
    try:
        assert session.stdout.readline().strip() == "journaled"
    finally:
        session.kill()  # SIGKILL: no clean-up code runs
        session.wait(30)
        session.stdout.close()
