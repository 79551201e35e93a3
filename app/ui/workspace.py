"""Everything shown for one open document: the section list, the wizard and the other views (review,
results, assumptions, built on first use), and the live panel. Replacing the document replaces the
workspace, so no view can show answers of a previous file."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QWidget

from app.ui.files.document import Document
from app.ui.results.evaluation import Evaluator
from app.ui.results.live_panel import LivePanel
from app.ui.wizard.navigation import NavigationPanel
from app.ui.wizard.wizard import WizardView


def _make_view(key: str, workspace: "Workspace") -> QWidget:
    # Imported on first use: the first page must not pay for the results and report stack.
    if key == "review":
        from app.ui.wizard.review import ReviewPage
        return ReviewPage(workspace.document, workspace.jump_to, lambda: workspace.show_view("results"))
    if key == "results":
        from app.ui.results.results import ResultsView
        return ResultsView(workspace.document, workspace.evaluator, workspace.jump_to, workspace.results_tab)
    from app.ui.results.assumptions import AssumptionsPage
    return AssumptionsPage(workspace.document, workspace.evaluator)


NARROW_CONTENT_PX = 600  # below this, the side panels give the page what they can
# Narrower than this (a 1024 px laptop; 150% on a 1920 px screen leaves 1280), the results and the
# assumptions take the live panel's room: the results show what it shows, and both pages' tables need it.
ALONE_BELOW_PX = 1300
ALONE_VIEWS = ("results", "assumptions")


class Workspace(QSplitter):
    view_changed = Signal(str)  # "questions", "review", "results", "assumptions"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.document = document
        self.evaluator = Evaluator(document, self)
        self.navigation = NavigationPanel(document)
        self.wizard = WizardView(document)
        self.content = QStackedWidget()
        self.content.addWidget(self.wizard)
        self.views: dict[str, QWidget] = {}
        self._results_tab = 0  # the tab the results open on (remembered between sessions)
        self.live_panel = LivePanel(document)
        for widget, stretch in ((self.navigation, 0), (self.content, 1), (self.live_panel, 0)):
            self.addWidget(widget)
            self.setStretchFactor(self.count() - 1, stretch)
        self.setChildrenCollapsible(False)
        self.setSizes([230, 860, 290])
        self._connect()
        self.wizard.show_section(document.assessment.questionnaire.sections[0].id)
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.navigation.refresh)

    def _connect(self) -> None:
        self.navigation.section_requested.connect(self.show_section)
        self.navigation.view_requested.connect(self.show_view)
        self.wizard.section_shown.connect(lambda sid: self.navigation.select("section", sid))
        self.wizard.finished.connect(lambda: self.show_view("review"))
        self.evaluator.core_ready.connect(self.live_panel.show_evaluation)
        self.evaluator.message.connect(self.live_panel.show_message)
        self.document.changed.connect(lambda: self._refresh_timer.start())

    def start(self) -> None:
        """Begin computing results; called once the first page is on screen."""
        self.evaluator.schedule()

    # ---------------------------------------------------------------- views
    @property
    def current_view(self) -> str:
        widget = self.content.currentWidget()
        return next((k for k, v in self.views.items() if v is widget), "questions")

    def show_section(self, section_id: str) -> None:
        self.content.setCurrentWidget(self.wizard)
        self.wizard.show_section(section_id)
        self._place_live_panel()
        self.view_changed.emit("questions")

    def show_view(self, key: str) -> None:
        if key == "questions":
            self.content.setCurrentWidget(self.wizard)
            self.wizard.show_section(self.wizard.sections[max(self.wizard.current_index, 0)].id)
            self._place_live_panel()
            return
        if key not in self.views:
            self.views[key] = _make_view(key, self)
            self.content.addWidget(self.views[key])
        view = self.views[key]
        if hasattr(view, "refresh"):
            view.refresh()
        self.content.setCurrentWidget(view)
        self.navigation.select("view", key)
        self._place_live_panel()
        self.view_changed.emit(key)

    def _place_live_panel(self) -> None:
        alone = self.current_view in ALONE_VIEWS and self.width() < ALONE_BELOW_PX
        if self.live_panel.isHidden() != alone:
            self.live_panel.setVisible(not alone)

    @property
    def results_tab(self) -> int:
        results = self.views.get("results")
        return results.current_tab() if results is not None else self._results_tab

    @results_tab.setter
    def results_tab(self, index: int) -> None:
        self._results_tab = index

    def jump_to(self, reference: str, workload_id: str | None = None) -> None:
        """Show what a result rests on: a question (in its section) or an assumption (in the table)."""
        questions = self.document.assessment.questionnaire.questions_by_id
        if reference in questions:
            section = self.document.assessment.questionnaire.section_of[reference]
            if section.scope == "workload" and workload_id is None:
                workload_id = self.wizard.workload_bar.current_id()
            self.content.setCurrentWidget(self.wizard)
            self.wizard.show_question(reference, workload_id)
            self._place_live_panel()
            self.view_changed.emit("questions")
        else:
            self.show_view("assumptions")
            self.views["assumptions"].select(reference)

    def presenting_changed(self) -> None:
        """The window entered or left presenting mode: views built from data redraw with or without their
        working marks (results' links), the question page shows its notes again."""
        results = self.views.get("results")
        if results is not None and self.evaluator.full is not None:
            results.show_evaluation(self.evaluator.full)
        if self.wizard.current_index >= 0:
            self.wizard.current_page.bind(self.wizard.current_page.workload_id)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """On a small screen (1024 px, or 150% scaling) the section list and the live panel shrink to their
        minimums before the page does: questions and results keep the width they need."""
        super().resizeEvent(event)
        self._place_live_panel()
        sizes = self.sizes()
        if len(sizes) != 3 or sizes[1] >= NARROW_CONTENT_PX:
            return
        sides = [self.widget(0).minimumSizeHint().width(), self.widget(2).minimumSizeHint().width()]
        sides = [min(side, size) for side, size in zip(sides, (sizes[0], sizes[2]))]
        self.setSizes([sides[0], sum(sizes) - sum(sides), sides[1]])

    def shutdown(self) -> None:
        self.evaluator.shutdown()
