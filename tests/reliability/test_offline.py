"""Nothing leaves the machine: a whole assessment (open, evaluate, report, save, autosave, export, the
CLI) runs with the network blocked at the socket level, and the test fails if anything even tries,
including reportlab fetching an image a hostile note names."""

from __future__ import annotations

import importlib
import importlib.util
import socket

import pytest

from app.cli import main
from app.domain.assessment import Answer
from app.storage.assessment_files import export_for_sharing, load_assessment, save_assessment
from app.storage.catalogs import catalogs_for
from app.storage.journal import AutosaveJournal

HOSTILE = '<img src="http://198.51.100.7/track.png"/> <a href="https://198.51.100.7/">ACME</a> &amp; <b>'


@pytest.fixture
def attempts(monkeypatch) -> list[str]:
    """Every network attempt, refused and recorded (code that swallows the error still fails the test)."""
    tried: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            tried.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network blocked by test: {name}")
        return blocked

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return tried


def _hostile_copy(assessment):
    """The example with markup and remote image URLs in every place user text goes."""
    assessment = assessment.model_copy(update={"title": "Offline check " + HOSTILE}, deep=True)
    assessment.organisation_answers["client_name"] = Answer(value="Harbour " + HOSTILE[:200])
    for workload in assessment.workloads:
        for question_id, answer in list(workload.answers.items()):
            workload.answers[question_id] = answer.model_copy(update={"note": HOSTILE})
    return assessment


def test_a_whole_assessment_runs_with_the_network_blocked(example_paths, advisor_home, tmp_path, attempts,
                                                          cases):
    assessment = _hostile_copy(load_assessment(example_paths[0]))
    if importlib.util.find_spec("app.engine.evaluate"):
        evaluation = importlib.import_module("app.engine.evaluate").evaluate(assessment, catalogs_for(assessment))
        if importlib.util.find_spec("app.report.pdf"):
            from app.domain.brand import BrandProfile

            report = importlib.import_module("app.report.pdf").build_report(
                assessment, evaluation, BrandProfile(), tmp_path / "report.pdf", deterministic=True)
            assert report.stat().st_size > 0
    journal = AutosaveJournal("offline", tmp_path / "a.llmassess", password="pw")
    journal.write(assessment)
    save_assessment(assessment, tmp_path / "a.llmassess", password="pw")
    save_assessment(export_for_sharing(assessment), tmp_path / "shared.llmassess")
    assert load_assessment(tmp_path / "a.llmassess", password="pw").title == assessment.title
    journal.clear()
    assert main(["validate", str(tmp_path / "shared.llmassess")]) == 0
    assert attempts == [], f"something tried to reach the network: {attempts}"
    cases["offline: whole assessment with sockets blocked"] += 1


def test_the_block_really_blocks(attempts):
    with pytest.raises(OSError, match="network blocked"):
        socket.create_connection(("198.51.100.7", 80), timeout=1)
    assert attempts
