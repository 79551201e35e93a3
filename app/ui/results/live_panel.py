"""The live side panel: current recommendation, cost per option and readiness, refreshed from the
engine's fast core evaluation as answers change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.ui.files.document import Document
from app.ui.widgets.format import compact, headline, money, period_label
from app.ui.widgets.labels import muted_label
from app.ui.widgets.looks import Panel, styled


def recommendation_label(recommendation: str | None) -> str:
    """The option's name; "No recommendation" when answers are missing or nothing is feasible."""
    from app.domain.evaluation import OPTION_LABELS, option_for_recommendation
    return OPTION_LABELS[option_for_recommendation(recommendation)] if recommendation else "No recommendation"


def answers_missing(evaluation) -> bool:
    """No recommendation for want of answers (a use case's volume or data): its costs would rest on a volume
    nobody gave, so none is shown. With nothing feasible the evaluation names questions too (the smallest
    change), but then no option has a cost to show."""
    return bool(evaluation.missing_for_recommendation) and any(o.feasible for o in evaluation.options.values())


class LivePanel(Panel):
    updated = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__("livePanel", parent)
        self.document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(6)
        layout.addWidget(styled(QLabel("Live recommendation", objectName="panelCaption")))
        self.recommendation = styled(QLabel("—", objectName="recommendation", wordWrap=True))
        self.recommendation.setAccessibleName("Current recommendation")
        self.headline = muted_label("", "headline")
        layout.addWidget(self.recommendation)
        layout.addWidget(self.headline)
        self.cost_caption = styled(QLabel("Cost", objectName="panelCaption"))
        layout.addSpacing(8)
        layout.addWidget(self.cost_caption)
        self.cost_grid = QGridLayout()
        self.cost_grid.setHorizontalSpacing(12)
        self.cost_labels: dict[str, tuple[QLabel, QLabel]] = {}
        layout.addLayout(self.cost_grid)
        layout.addSpacing(8)
        # The score sits in the caption, not on the bar, where the filled part would cover it.
        self.readiness_caption = styled(QLabel("Readiness", objectName="panelCaption"))
        layout.addWidget(self.readiness_caption)
        self.readiness = QProgressBar(maximum=100, textVisible=False)
        self.readiness.setMaximumHeight(10)
        self.readiness.setAccessibleName("Readiness")
        layout.addWidget(self.readiness)
        self.volume = muted_label("", "volume")
        layout.addWidget(self.volume)
        layout.addStretch(1)
        self.status = muted_label("Waiting for answers…", "panelStatus")
        layout.addWidget(self.status)

    def _fill_cost_grid(self) -> None:
        """Rows per option, made with the first result: the result types are not imported at startup."""
        from app.domain.evaluation import OPTION_IDS, OPTION_LABELS
        grid = self.cost_grid
        for row, option in enumerate(OPTION_IDS):
            name = QLabel(OPTION_LABELS[option])
            value = QLabel("—", alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setAccessibleName(f"{OPTION_LABELS[option]} cost")
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.cost_labels[option] = (name, value)

    def show_evaluation(self, evaluation) -> None:
        from app.domain.evaluation import option_for_recommendation
        if not self.cost_labels:
            self._fill_cost_grid()
        display = self.document.assessment.display
        self.cost_caption.setText(f"Cost {period_label(display)}")
        if evaluation is None:
            self.updated.emit()
            return
        recommended = option_for_recommendation(evaluation.recommendation or "")
        self.recommendation.setText(recommendation_label(evaluation.recommendation))
        # Without a recommendation the headline says what is missing (or the smallest change that would help).
        self.headline.setText(headline(evaluation, display))
        self.headline.setToolTip("Missing: " + ", ".join(evaluation.missing_for_recommendation)
                                 if evaluation.missing_for_recommendation else "")
        waiting = answers_missing(evaluation)
        for option, (name, value) in self.cost_labels.items():
            cost = None if waiting else evaluation.options.get(option)
            self._show_cost(name, value, cost, display, option == recommended)
        overall = evaluation.readiness.overall
        self.readiness.setValue(round(overall) if overall is not None else 0)
        score = f"{round(overall)} / 100" if overall is not None else "not enough answers"
        self.readiness_caption.setText(f"Readiness: {score}")
        self.readiness.setAccessibleDescription(score)
        self.volume.setText("Volume: not answered yet" if waiting else
                            f"Volume: {compact(evaluation.tokens_per_day, display.locale)} tokens/day")
        self.status.setText("Updated as you answer")
        self.updated.emit()

    @staticmethod
    def _show_cost(name: QLabel, value: QLabel, cost, display, recommended: bool) -> None:
        if cost is None or not cost.feasible:
            value.setText("not feasible" if cost is not None else "—")
            value.setToolTip(cost.infeasible_reason or "" if cost is not None else "")
            value.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, yet readable (disabled is not)
        else:
            value.setText(money(cost.monthly_usd, display))
            value.setToolTip("")
            value.setForegroundRole(QPalette.ColorRole.WindowText)
        for label in (name, value):
            font = label.font()
            font.setBold(recommended)
            label.setFont(font)

    def show_message(self, text: str) -> None:
        self.status.setText(text)
