"""The house rules that keep the code livable, enforced: one direction of imports, Qt only in app/ui,
and the headless commands never load Qt."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_commands_never_load_qt():
    code = (
        "import sys; from app.cli import main\n"
        "main(['validate', 'examples/bank-low-latency.llmassess'])\n"
        "main(['questionnaire', 'check', 'questionnaires/llm-deployment.yaml'])\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_module_outside_ui_mentions_qt():
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "app").rglob("*.py")
        if "ui" not in path.relative_to(REPO_ROOT / "app").parts[:1]
        and ("PySide6" in path.read_text(encoding="utf-8") or "shiboken6" in path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
