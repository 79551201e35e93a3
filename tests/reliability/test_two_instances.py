"""Two app instances on one file, for real: two processes, each the real MainWindow. The second is warned
that the file is open; the first is told within its 2 s lock check; the second saves; the first's save
finds the file changed since it loaded it and saves a copy instead. Neither instance's answer is lost.
(Before: the first instance was never warned, and each save silently overwrote the other's answers.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.storage.assessment_files import load_assessment

CHILD = Path(__file__).with_name("two_instances_child.py")
REPO = Path(__file__).resolve().parents[2]
TRIALS = 5
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")]


class Instance:
    def __init__(self, name: str, source: Path, folder: Path):
        self.commands = folder / f"{name}.commands"
        self.copy = folder / f"{name}-copy.llmassess"
        self.lines: list[str] = []
        env = {**os.environ, "PYTHONPATH": str(REPO), "LLM_ADVISOR_HOME": str(folder / f"home-{name}"),
               "QT_QPA_PLATFORM": "offscreen"}
        self.process = subprocess.Popen([sys.executable, str(CHILD), str(source), str(self.commands), str(self.copy)],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def send(self, command: str) -> None:
        with self.commands.open("a") as handle:
            handle.write(command + "\n")

    def wait_for(self, line: str, timeout_s: float = 20) -> bool:
        deadline = time.monotonic() + timeout_s
        while line not in self.lines and time.monotonic() < deadline:
            time.sleep(0.01)
        return line in self.lines

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        self.process.stdout.close()


def test_two_instances_on_one_file_both_find_out_and_lose_nothing(example_paths, tmp_path, cases):
    example = next(p for p in example_paths if p.stem == "midsize-general-api")
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        folder.mkdir()
        source = folder / "client.llmassess"
        shutil.copyfile(example, source)
        first = Instance("first", source, folder)
        second = None
        try:
            assert first.wait_for("ready")
            second = Instance("second", source, folder)
            assert second.wait_for("ready") and "warned" in second.lines  # the second is warned at once
            assert first.wait_for("told", timeout_s=5), "the first instance was never told"
            second.send(f"type Second {trial}")
            second.send("save")
            assert second.wait_for("saved")
            first.send(f"type First {trial}")
            first.send("save")
            assert first.wait_for("saved")
            assert "conflict" in first.lines and "conflict" not in second.lines
        finally:
            first.stop()
            if second is not None:
                second.stop()
        assert load_assessment(source).organisation_answers["client_name"].value == f"Second {trial}"
        assert load_assessment(first.copy).organisation_answers["client_name"].value == f"First {trial}"
        cases["two instances: warned, told, conflict detected, nothing lost"] += 1
