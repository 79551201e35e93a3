"""The Override dialog takes only values an assumption can mean, and warns outside the plausible range;
an engine fault on the GUI thread is said in the status area, not in a dialog per keystroke."""

from __future__ import annotations

from app.domain.evaluation import AssumptionValue
from app.domain.pricing import UNIT_RANGES
from app.ui.results.assumptions import OverrideDialog
from tests.ui.drive import type_value
from tests.ui.fakes import FAKE_ENGINE

DAYS = AssumptionValue(id="days_per_month", label="Days per month", value=30.4, default=30.4, unit="days", low=28,
                       high=31, source="Calendar", as_of="2026-11", valid=UNIT_RANGES["days"])
REPLICAS = AssumptionValue(id="min_production_replicas", label="Minimum replicas", value=2, default=2,
                           unit="replicas", low=1, high=3, source="x", as_of="2026", valid=UNIT_RANGES["replicas"])


def test_the_dialog_refuses_a_value_the_assumption_cannot_mean(qtbot):
    dialog = OverrideDialog(DAYS)
    qtbot.addWidget(dialog)
    dialog.reason.setText("client calendar")
    dialog.value.setValue(0)
    assert dialog.problem() == "Days per month must be more than 0." and dialog.warning.text() == dialog.problem()
    dialog._accept_if_reason()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.value.setValue(35)  # valid, outside 28-31: allowed with a warning
    assert dialog.problem() is None and "Outside the plausible range" in dialog.warning.text()
    dialog._accept_if_reason()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_whole_numbers_only_where_the_unit_says_so(qtbot):
    dialog = OverrideDialog(REPLICAS)
    qtbot.addWidget(dialog)
    assert dialog.value.decimals() == 0 and dialog.value.minimum() == 1


def test_an_engine_fault_on_the_gui_thread_is_said_in_the_status_area(window, dialogs, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(FAKE_ENGINE, "evaluate_core", broken)
    window.workspace.show_section("engagement")
    type_value(window.workspace.wizard.current_page.editor_for("client_name"), "Any")
    window.workspace.evaluator.run_core()
    assert window.workspace.live_panel.status.text() == "The calculation failed (ZeroDivisionError)."
    assert dialogs.seen == []
