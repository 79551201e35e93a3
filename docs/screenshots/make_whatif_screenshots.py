"""The Scenarios tab and File > Compare With… on the Brightline examples, offscreen:

    .venv/bin/python docs/screenshots/make_whatif_screenshots.py

Writes docs/screenshots/results-scenarios.png (this quarter's what-ifs beside the base), scenario-dialog.png
(the editor on "Volume x3") and compare.png (this quarter against last quarter's file, with the waterfall);
uses a throw-away user folder."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LLM_ADVISOR_HOME"] = tempfile.mkdtemp(prefix="llm-advisor-shots-")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from make_screenshots import EXAMPLE, SIZE, settle, wait_for_results  # noqa: E402

LAST_QUARTER = "brightline-2026q3.llmassess"
SCENARIOS_TAB = 5


def main() -> int:
    from app.storage.resources import find_resource
    from app.ui.results.compare import compare_with
    from app.ui.main import build_window, make_application
    from app.ui.results.scenarios import ScenarioDialog, ScenariosPage
    app = make_application()
    window = build_window(str(find_resource("examples", EXAMPLE)))
    window.resize(*SIZE)
    window.show()
    settle(app)
    workspace = window.workspace
    workspace.show_view("results")
    wait_for_results(app, workspace.evaluator)
    results = workspace.views["results"]
    results.tabs.setCurrentIndex(SCENARIOS_TAB)
    settle(app, 300)
    window.grab().save(str(HERE / "results-scenarios.png"))
    page = results.tabs.widget(SCENARIOS_TAB).findChild(ScenariosPage)
    dialog = ScenarioDialog(window.document, window.document.assessment.scenarios[0],
                            {a.id: a for a in workspace.evaluator.full.assumptions}, page)
    dialog.resize(900, 420)
    dialog.show()
    settle(app)
    dialog.grab().save(str(HERE / "scenario-dialog.png"))
    dialog.reject()
    comparison = compare_with(window, window.document, workspace.evaluator.catalogs(),
                              Path(find_resource("examples", LAST_QUARTER)))
    comparison.resize(1000, 900)
    settle(app, 300)
    comparison.grab().save(str(HERE / "compare.png"))
    comparison.close()
    window.document.set_modified(False)
    window.close()
    print(f"screenshots written to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
