"""`llm-advisor`, `llm-advisor FILE` and `llm-advisor --startup-check` open the desktop app without
building an argparse parser (on the way to the first window); everything else is still argparse's."""

from __future__ import annotations

import pytest

from app.cli import _plain_gui_arguments, main


@pytest.mark.parametrize("argv, expected", [
    ([], {"file": None, "startup_check": False}),
    (["client.llmassess"], {"file": "client.llmassess", "startup_check": False}),
    (["--startup-check"], {"file": None, "startup_check": True}),
    (["--help"], None), (["--version"], None), (["-h"], None), (["a", "b"], None),
    (["client.llmassess", "--startup-check"], None), (["--bogus"], None),
])
def test_only_the_plain_starts_skip_argparse(argv, expected):
    assert _plain_gui_arguments(argv) == expected


def test_a_plain_start_reaches_the_gui_without_a_parser(monkeypatch):
    import app.cli
    import app.ui.main as gui
    started = []
    monkeypatch.setattr(app.cli, "_gui_parser", lambda modules: pytest.fail("a parser was built"))
    monkeypatch.setattr(gui, "run_gui", lambda file, startup_check: started.append((file, startup_check)) or 0)
    assert main(["client.llmassess"]) == 0 and main(["--startup-check"]) == 0
    assert started == [("client.llmassess", False), (None, True)]


def test_anything_else_is_still_parsed(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--bogus"])
    assert exited.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err
