"""The app's look: a light touch over the platform style. Colours come from the palette (palette(...))
so light and dark system themes both work; only status colours are fixed."""

STYLE_SHEET = """
QLabel#pageTitle { font-size: 17pt; font-weight: 600; padding: 4px 0 2px 0; qproperty-indent: 0; }
QLabel#questionLabel { font-weight: 600; }
QFrame#question { border-bottom: 1px solid palette(midlight); }
QFrame#guidance { background: palette(alternate-base); border-left: 3px solid #b7791f; border-radius: 2px; }
QLabel#guidanceTag { color: #b7791f; font-weight: 600; font-size: 8pt; }
QLabel#error { color: #c62828; }
QLabel#reading { color: palette(highlight); }
QLabel#hint { font-size: 8pt; }
QToolButton#flag { font-size: 12pt; padding: 0 4px; color: palette(mid); }
QToolButton#flag:checked { color: #ef8a00; background: transparent; }
QToolButton#details { font-size: 12pt; padding: 0 4px; color: palette(dark); }
QToolButton#details::menu-indicator { image: none; width: 0; }
QToolButton#statusButton { padding: 3px 8px; }
QToolButton#statusButton:checked { background: palette(highlight); color: palette(highlighted-text); }
QFrame#navigation { background: palette(window); }
QListWidget#sectionList { background: palette(window); }
QListWidget#sectionList::item { padding: 5px 4px; }
QLabel#progressLabel { font-weight: 600; }
QLabel#reviewSummary { font-weight: 600; }
QFrame#buttonRow { border-top: 1px solid palette(mid); }
QFrame#workloadBar { background: palette(alternate-base); border-bottom: 1px solid palette(midlight); }
QFrame#startBanner { background: palette(alternate-base); border-bottom: 1px solid palette(midlight); }
QFrame#livePanel { background: palette(alternate-base); border-left: 1px solid palette(midlight); }
QLabel#panelCaption { font-weight: 600; font-size: 8pt; }
QLabel#recommendation { font-size: 16pt; font-weight: 600; color: palette(highlight); }
QLabel#sectionHeading { font-size: 12pt; font-weight: 600; padding-top: 8px; qproperty-indent: 0; }
QLabel#presentingBar { background: palette(highlight); color: palette(highlighted-text); font-weight: 600;
                       padding: 4px 24px; }
QLabel#bigFigure { font-size: 15pt; font-weight: 600; }
"""
