"""Edit > Catalog Packs and Trusted Keys...: the installed packs, the stale prices of the app's catalogs today,
the trusted publisher keys (edited here, checked before they are saved), and importing a pack, after which the
open assessment can be moved onto the pack's catalogs (Edit > Update to Current Catalogs)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from app.domain.errors import AdvisorError
from app.domain.evaluation import Evaluation
from app.report.names import price_name
from app.ui.dialogs.errors import show_error
from app.ui.widgets.labels import muted_label
from app.ui.widgets.widgets import heading, read_only_table

PACK_FILTER = "Catalog packs (*.llmpack *.zip);;All files (*)"
MAX_LISTED_STALE = 8
KEYS_HELP = ("One publisher key a line: <tt>ed25519 &lt;public key&gt; &lt;name&gt;</tt>. "
             "Publishers print the line with <tt>llm-advisor catalog keygen</tt>. Lines starting with # are notes.")


def stale_prices_text(evaluation: Evaluation) -> str | None:
    """The results' note on the Evaluation's stale prices (None when there are none)."""
    ids = evaluation.stale_price_ids
    if not ids:
        return None
    days = next((a.value for a in evaluation.assumptions if a.id == "price_staleness_days"), None)
    listed = ", ".join(map(price_name, ids[:MAX_LISTED_STALE])) + (f" and {len(ids) - MAX_LISTED_STALE} more"
                                                                   if len(ids) > MAX_LISTED_STALE else "")
    return (f"⚠ {len(ids)} catalog prices were more than {days:.0f} days old on {evaluation.stale_prices_on}: "
            f"{listed}. Import a newer catalog pack (Edit > Catalog Packs and Trusted Keys) or check them.")


def stale_prices_label(evaluation: Evaluation) -> QLabel | None:
    text = stale_prices_text(evaluation)
    return None if text is None else muted_label(text, "stalePrices")


class CatalogPacksDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, on_imported: Callable[[], object] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Catalog packs and trusted keys")
        self.setObjectName("catalogPacksDialog")
        self.on_imported = on_imported
        self.layout_ = QVBoxLayout(self)
        self.status_slot = QVBoxLayout()
        self.layout_.addLayout(self.status_slot)
        self._status_widgets: list[QWidget] = []
        row = QHBoxLayout()
        import_button = QPushButton("Import Pack…")
        import_button.clicked.connect(self._choose_pack)
        row.addWidget(import_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addWidget(heading("Trusted keys"))
        self.layout_.addWidget(QLabel(KEYS_HELP, wordWrap=True))
        self.keys = QPlainTextEdit()
        self.keys.setAccessibleName("Trusted keys")
        self.layout_.addWidget(self.keys, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save Keys")
        buttons.button(QDialogButtonBox.StandardButton.Save).clicked.connect(self.save_keys)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)
        self._load_keys()
        self.refresh()
        self.resize(820, 640)

    def _load_keys(self) -> None:
        from app.storage.packs import trusted_keys_path
        path = trusted_keys_path()
        try:
            self.keys.setPlainText(path.read_text(encoding="utf-8") if path.is_file() else "")
        except (OSError, UnicodeDecodeError) as error:
            show_error(self, "Trusted keys", f"cannot read {path} ({error})")

    def save_keys(self) -> bool:
        from app.storage.packs import save_trusted_keys
        try:
            save_trusted_keys(self.keys.toPlainText())
        except (AdvisorError, OSError) as error:
            show_error(self, "Trusted keys", error if isinstance(error, AdvisorError) else str(error))
            return False
        return True

    def refresh(self) -> None:
        """Installed packs and today's stale prices, read afresh (after an import too)."""
        from app.engine.staleness import catalog_status
        from app.storage.catalogs import load_catalogs
        from app.storage.packs import catalog_file_origins, installed_packs
        for widget in self._status_widgets:
            self.status_slot.removeWidget(widget)
            widget.deleteLater()
        try:
            data = catalog_status(load_catalogs(), datetime.now(timezone.utc).date(), installed_packs(),
                                  catalog_file_origins())
        except AdvisorError as error:
            data = None
            self._status_widgets = [QLabel(f"The catalogs cannot be read: {error}", wordWrap=True)]
        if data is not None:
            self._status_widgets = self._status_widgets_for(data)
        for widget in self._status_widgets:
            self.status_slot.addWidget(widget)

    def _status_widgets_for(self, data: dict) -> list[QWidget]:
        packs = read_only_table(["Pack", "Version", "Date", "Signed by", "Imported"],
                                [[p["name"], p["version"], p["date"], p["signed_by"], p["imported_at"]]
                                 for p in data["packs"]], accessible_name="Installed packs")
        stale = data["stale_price_ids"]
        stale_text = (f"{len(stale)} of {data['prices']} catalog prices are more than "
                      f"{data['price_staleness_days']:.0f} days old today ({data['today']})"
                      + (": " + ", ".join(map(price_name, stale[:MAX_LISTED_STALE]))
                         + ("…" if len(stale) > MAX_LISTED_STALE else "")
                         if stale else "."))
        versions = ", ".join(f"{k} {v}" for k, v in data["catalog_versions"].items())
        return [heading("Installed packs"), packs if data["packs"] else QLabel("None: the bundled catalogs only."),
                muted_label(f"Catalogs in use: {versions}.", "catalogVersions"),
                muted_label(stale_text, "stalePricesToday")]

    def _choose_pack(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import catalog pack", "", PACK_FILTER)
        if name:
            self.import_pack(Path(name))

    def import_pack(self, path: Path) -> bool:
        from app.storage.packs import import_pack
        if not self.save_keys():  # the keys on screen are the ones the pack is checked against
            return False
        try:
            record = import_pack(path)
        except AdvisorError as error:
            show_error(self, "Import catalog pack", error)
            return False
        self.refresh()
        QMessageBox.information(self, "Import catalog pack",
                                f"Installed {record.name} {record.version} ({record.date}), signed by "
                                f"{record.signed_by}: {len(record.files)} files. New assessments use it; "
                                "the open one moves onto it if you agree to the changes shown next.")
        if self.on_imported is not None:
            self.on_imported()
        return True
