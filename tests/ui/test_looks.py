"""The app's look without a style sheet (app/ui/widgets/looks.py): named widgets take their type and
colours when made, panels draw their border, and presenting mode scales the sizes looks set."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from app.ui.widgets.looks import LOOKS, Panel, restyle, styled

Role = QPalette.ColorRole


def test_a_title_takes_its_size_and_weight_and_follows_presenting(qapp):
    title = styled(QLabel("Volume", objectName="pageTitle"))
    assert title.font().pointSizeF() == 17 and title.font().bold()
    restyle(title, 1.25)
    assert title.font().pointSizeF() == 17 * 1.25
    restyle(title, 1.0)
    assert title.font().pointSizeF() == 17


def test_a_bold_label_keeps_its_parents_size(qapp):
    panel = Panel("livePanel")
    label = styled(QLabel("Question", objectName="questionLabel", parent=panel))
    font = panel.font()
    font.setPointSizeF(QApplication.font().pointSizeF() * 1.25)
    panel.setFont(font)
    assert label.font().bold() and label.font().pointSizeF() == font.pointSizeF()


def test_a_panel_draws_its_border_and_background(qapp):
    panel = Panel("workloadBar")
    panel.resize(120, 30)
    image = panel.grab().toImage()
    midlight, shaded = panel.palette().color(Role.Midlight), panel.palette().color(Role.AlternateBase)
    assert LOOKS["workloadBar"].border == ("bottom", 1, "Midlight")
    assert image.pixelColor(60, image.height() - 1).name() == midlight.name()
    assert image.pixelColor(60, 10).name() == shaded.name() != midlight.name()
    assert panel.contentsMargins().bottom() == 1  # the border takes room, as a style sheet's would


def test_a_checked_flag_turns_to_the_guidance_colour(qapp):
    from app.ui.main import make_application
    from app.ui.widgets.looks import COLOURS
    make_application()  # keeps the contrast-checked colours the looks name
    flag = styled(QToolButton(text="⚑", checkable=True, objectName="flag"))
    muted = flag.palette().color(Role.ButtonText)
    flag.setChecked(True)
    assert flag.palette().color(Role.ButtonText) == COLOURS["guidance"] != muted
    flag.setChecked(False)
    assert flag.palette().color(Role.ButtonText) == muted
