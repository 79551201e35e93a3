import sys
from tests.ui.layout_check import layout_problems
from PySide6.QtWidgets import QApplication
def test_dbg(qtbot, real_window, example_paths):
    w = real_window
    assert w.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    for size in ((1024, 640), (1280, 690)):
        w.resize(*size)
        for s in w.workspace.wizard.sections:
            w.workspace.show_section(s.id); QApplication.processEvents(); qtbot.wait(30)
            for p in layout_problems(w): print(size, s.id, p)
        for v in ("review", "assumptions", "results"):
            w.workspace.show_view(v); QApplication.processEvents(); qtbot.wait(30)
            if v == "results":
                w.workspace.evaluator.wait(20000); qtbot.wait(300)
                r = w.workspace.views["results"]
                for i in range(r.tabs.count()):
                    r.tabs.setCurrentIndex(i); qtbot.wait(50)
                    for p in layout_problems(w): print(size, v, i, p)
            else:
                for p in layout_problems(w): print(size, v, p)
