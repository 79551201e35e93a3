"""The Scenarios tab of the results: the assessment's what-ifs side by side with the base (the report's own rows
and chart) and their editor. A scenario is a name, changed answers and assumption overrides over the base
(app.domain.assessment.Scenario); every edit goes through Document.set_scenarios, so it is undoable and the
full evaluation re-plans each scenario."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QVBoxLayout, QWidget)

from app.domain.assessment import Answer, AssumptionOverride, Confidence, Scenario
from app.domain.evaluation import AssumptionValue, Evaluation
from app.domain.numbers import NotANumber, parse_number
from app.domain.questionnaire import CHOICE_KINDS, NUMERIC_KINDS, Question, QuestionKind
from app.domain.validation import answer_problem
from app.ui.files.document import Document
from app.ui.widgets.format import money_format
from app.ui.widgets.labels import muted_label
from app.ui.widgets.widgets import heading, read_only_table
from app.ui.widgets.looks import styled

ORGANISATION = ""  # the "Where" of an organisation answer


def scenario_tables(evaluation: Evaluation, display) -> tuple[QWidget, QWidget]:
    """The base and each scenario: recommendation, confidence and monthly cost per option; NPV and break-evens."""
    from app.report.whatif_rows import (SCENARIO_COST_HEADERS, SCENARIO_NPV_HEADERS, scenario_cost_rows,
                                        scenario_npv_rows)
    money = money_format(display)
    # The names and the option headers wrap, so both tables fit the page without scrolling sideways.
    costs = read_only_table(list(SCENARIO_COST_HEADERS), [list(r) for r in scenario_cost_rows(evaluation, money)],
                            numeric={2, 3, 4, 5, 6}, accessible_name="Scenarios", wrap={0, 1})
    npv = read_only_table(list(SCENARIO_NPV_HEADERS), [list(r) for r in scenario_npv_rows(evaluation, money)],
                          numeric={1, 2, 3, 4, 5, 6}, accessible_name="Scenario NPV and break-even", wrap={0})
    return costs, npv


class ScenariosPage(QWidget):
    """Shown in the results' Scenarios tab; rebuilt with each full evaluation."""

    def __init__(self, evaluation: Evaluation, document: Document, chart: QWidget | None, assumptions,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.assumptions = document, assumptions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("What-if scenarios"))
        layout.addWidget(muted_label(
            "Each scenario changes some answers or assumptions of this assessment and is evaluated in full: its "
            "pools are sized again and its recommendation decided again. Select a row to edit or delete it.",
            "scenariosIntro"))
        buttons = QHBoxLayout()
        for text, slot, name in (("&New Scenario…", self.add, "newScenario"), ("Ed&it…", self.edit, "editScenario"),
                                 ("&Delete", self.delete, "deleteScenario")):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table, npv = scenario_tables(evaluation, document.assessment.display)
        layout.addWidget(self.table)
        layout.addWidget(npv)
        if chart is not None:
            layout.addWidget(chart)
        if not evaluation.scenarios:
            layout.addWidget(muted_label("No scenarios yet: New Scenario… sets one beside the base ("
                                         "\"volume x3\", \"GPU prices -30%\", \"on-prem allowed\").", "noScenarios"))

    def selected(self) -> Scenario | None:
        """The scenario of the selected row (row 0 is the base)."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        scenarios = self.document.assessment.scenarios
        row = min(rows) if rows else 0
        return scenarios[row - 1] if 1 <= row <= len(scenarios) else None

    def add(self) -> None:
        number = len(self.document.assessment.scenarios) + 1
        dialog = ScenarioDialog(self.document, Scenario(name=f"Scenario {number}"), self.assumptions, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document.set_scenarios(f"addition of scenario {dialog.scenario.name}",
                                        [*self.document.assessment.scenarios, dialog.scenario])

    def edit(self) -> None:
        scenario = self.selected()
        if scenario is None:
            return
        dialog = ScenarioDialog(self.document, scenario, self.assumptions, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document.set_scenarios(f"change to scenario {dialog.scenario.name}",
                                        [dialog.scenario if s.id == scenario.id else s
                                         for s in self.document.assessment.scenarios])

    def delete(self) -> None:
        scenario = self.selected()
        if scenario is None:
            return
        self.document.set_scenarios(f"removal of scenario {scenario.name}",
                                    [s for s in self.document.assessment.scenarios if s.id != scenario.id])


def _value_text(answer: Answer, question: Question | None, locale: str) -> str:
    """A changed answer as the report shows answers (choice labels, units, the display locale)."""
    from app.report.facts import answer_value
    return answer_value(question, answer, locale) if question is not None else str(answer.value)


class ScenarioDialog(QDialog):
    """One scenario: its name, the answers it changes and the assumptions it overrides (`assumptions`: the
    evaluation's, with their labels, units and valid ranges). `scenario` holds the edited copy once accepted."""

    def __init__(self, document: Document, scenario: Scenario, assumptions: Mapping[str, AssumptionValue],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Scenario")
        self.document, self.assumptions = document, assumptions
        self.scenario = scenario.model_copy(deep=True)
        self.questions = document.assessment.questionnaire.questions_by_id
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self.scenario.name, maxLength=200, objectName="scenarioName")
        form.addRow("&Name:", self.name)
        layout.addLayout(form)
        self.changes_holder = QVBoxLayout()
        layout.addLayout(self.changes_holder)
        self.changes = None
        layout.addWidget(self._answer_row())
        layout.addWidget(self._assumption_row())
        remove = QPushButton("&Remove Selected Change", objectName="removeChange")
        remove.clicked.connect(self.remove_selected)
        layout.addWidget(remove)
        self.problem = styled(QLabel(objectName="error", wordWrap=True))
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_changes()

    # ---- what the scenario changes
    def _rows(self) -> list[tuple[str, str, object]]:
        """(where, what, key) for each change; key identifies it for removal."""
        names = {w.id: w.name for w in self.document.assessment.workloads}
        locale = self.document.assessment.display.locale
        rows = []
        for question_id, answer in self.scenario.organisation_answers.items():
            question = self.questions.get(question_id)
            rows.append(("Organisation", f"{question.label if question else question_id} = "
                                         f"{_value_text(answer, question, locale)}", (ORGANISATION, question_id)))
        for workload_id, answers in self.scenario.workload_answers.items():
            for question_id, answer in answers.items():
                question = self.questions.get(question_id)
                rows.append((names.get(workload_id, workload_id), f"{question.label if question else question_id} = "
                             f"{_value_text(answer, question, locale)}", (workload_id, question_id)))
        for assumption_id, override in self.scenario.assumption_overrides.items():
            assumption = self.assumptions.get(assumption_id)
            rows.append(("Assumption", f"{assumption.label if assumption else assumption_id} = {override.value:g}",
                         assumption_id))
        return rows

    def _show_changes(self) -> None:
        if self.changes is not None:
            self.changes_holder.removeWidget(self.changes)
            self.changes.deleteLater()
        self.rows = self._rows()
        self.changes = read_only_table(["Where", "Change"], [[w, what] for w, what, _ in self.rows] or [["—", "none yet"]],
                                       accessible_name="Scenario changes", wrap={1})
        self.changes_holder.addWidget(self.changes)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.changes.selectedIndexes() if i.row() < len(self.rows)})
        for row in rows:
            key = self.rows[row][2]
            if isinstance(key, tuple):
                where, question_id = key
                store = self.scenario.organisation_answers if where == ORGANISATION else \
                    self.scenario.workload_answers.get(where, {})
                store.pop(question_id, None)
            else:
                self.scenario.assumption_overrides.pop(key, None)
        self.scenario.workload_answers = {w: a for w, a in self.scenario.workload_answers.items() if a}
        self._show_changes()

    # ---- adding an answer change
    def _answer_row(self) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.where = QComboBox(objectName="changeWhere")
        self.where.addItem("Organisation", ORGANISATION)
        for workload in self.document.assessment.workloads:
            self.where.addItem(workload.name, workload.id)
        self.question = QComboBox(objectName="changeQuestion")
        self.choice = QComboBox(objectName="changeChoice")
        self.value = QLineEdit(objectName="changeValue", placeholderText="value")
        add = QPushButton("Add &Answer", objectName="addAnswer")
        add.clicked.connect(self.add_answer)
        self.where.currentIndexChanged.connect(self._fill_questions)
        self.question.currentIndexChanged.connect(self._fill_value)
        for widget in (QLabel("Answer:"), self.where, self.question, self.choice, self.value, add):
            line.addWidget(widget)
        self._fill_questions()
        return row

    def _fill_questions(self) -> None:
        """The questions that feed the engine, in the chosen scope (organisation or per use case)."""
        scope = "organisation" if self.where.currentData() == ORGANISATION else "workload"
        self.question.blockSignals(True)
        self.question.clear()
        for question in self.questions.values():
            section = self.document.assessment.questionnaire.section_of[question.id]
            if question.binding and not question.binding.startswith("engagement.") and section.scope == scope \
                    and question.kind in (*CHOICE_KINDS, *NUMERIC_KINDS) and question.kind != QuestionKind.MULTI_CHOICE:
                self.question.addItem(question.label, question.id)
        self.question.blockSignals(False)
        self._fill_value()

    def _fill_value(self) -> None:
        question = self.questions.get(self.question.currentData())
        choices = question is not None and question.kind in CHOICE_KINDS
        self.choice.clear()
        if choices:
            for option in question.choice_options:
                self.choice.addItem(option.label, option.value)
        self.choice.setVisible(choices)
        self.value.setVisible(not choices)
        self.value.setPlaceholderText(f"value{' (' + question.unit + ')' if question and question.unit else ''}")

    def add_answer(self) -> None:
        question = self.questions.get(self.question.currentData())
        if question is None:
            return
        if question.kind in CHOICE_KINDS:
            value = self.choice.currentData()
        else:
            value = self._number(self.value.text(), question.kind == QuestionKind.INTEGER)
            if value is None:
                return
        answer = Answer(value=value, confidence=Confidence.ESTIMATED)
        problem = answer_problem(question, answer)
        if problem:
            self.problem.setText(f"{question.label}: {problem}")
            return
        where = self.where.currentData()
        if where == ORGANISATION:
            self.scenario.organisation_answers[question.id] = answer
        else:
            self.scenario.workload_answers.setdefault(where, {})[question.id] = answer
        self.problem.clear()
        self.value.clear()
        self._show_changes()

    def _number(self, text: str, integer: bool = False) -> float | int | None:
        """The number typed, in the display locale; None (and the reason shown) when there is none."""
        try:
            value = parse_number(text, self.document.assessment.display.locale, integer=integer)
        except NotANumber as error:
            self.problem.setText(str(error))
            return None
        if value is None:
            self.problem.setText("Type a value first.")
        return value

    # ---- adding an assumption override
    def _assumption_row(self) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.assumption = QComboBox(objectName="changeAssumption")
        for assumption in sorted(self.assumptions.values(), key=lambda a: a.label):
            self.assumption.addItem(f"{assumption.label} ({assumption.unit})", assumption.id)
        self.assumption_value = QLineEdit(objectName="assumptionValue", placeholderText="value")
        add = QPushButton("Add Assum&ption", objectName="addAssumption")
        add.clicked.connect(self.add_assumption)
        for widget in (QLabel("Assumption:"), self.assumption, self.assumption_value, add):
            line.addWidget(widget)
        return row

    def add_assumption(self) -> None:
        assumption = self.assumptions.get(self.assumption.currentData())
        if assumption is None:
            return
        value = self._number(self.assumption_value.text())
        if value is None:
            return
        problem = assumption.valid.problem(float(value))
        if problem:
            self.problem.setText(f"{assumption.label}: {problem}")
            return
        self.scenario.assumption_overrides[assumption.id] = AssumptionOverride(value=float(value),
                                                                               reason=f"scenario {self.name.text()}")
        self.problem.clear()
        self.assumption_value.clear()
        self._show_changes()

    def accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            QMessageBox.warning(self, "Scenario", "A scenario needs a name.")
            return
        self.scenario.name = name
        super().accept()
