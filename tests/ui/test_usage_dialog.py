"""File > Import Usage..., the catalog packs dialog and the stale-price note, headless (pytest-qt)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from app.domain.evaluation import AssumptionValue
from app.storage.catalogs import load_catalogs
from app.storage.packs import build_pack, public_key_line
from app.ui.files.catalog_packs import CatalogPacksDialog, stale_prices_text
from app.ui.dialogs.usage_dialog import MAPPING_COLUMN, UsageImportDialog
from app.ui.widgets.widgets import SvgChart
from tests.report.conftest import make_evaluation

ROOT = Path(__file__).resolve().parents[2]
USAGE = ROOT / "tests" / "fixtures" / "usage"


def _menu_action(window, text):
    # Found among the window's actions: with PySide6 6.9.3, a second walk through QAction.menu() here
    # met a QMenu wrapper that read as already deleted.
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _open_example(window, example_paths):
    assert window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"), ask=False)
    return window.document


def _dialog(window, qtbot, files=("openai_completions_1d.json",)):
    dialog = UsageImportDialog(window.document, window.workspace.evaluator.catalogs(), window)
    qtbot.addWidget(dialog)
    assert dialog.add_files([USAGE / f for f in files])
    return dialog


def test_the_dialog_shows_figures_chart_and_maps_models_into_measured_answers(window, qtbot, example_paths):
    document = _open_example(window, example_paths)
    dialog = _dialog(window, qtbot)
    table = dialog.table
    assert table.rowCount() == 2 and table.item(0, 0).text() == "gpt-4o-2024-08-06"
    assert [table.item(0, c).text() for c in (1, 2, 3)] == ["2", "2.25k", "33.3%"]
    assert table.item(0, 7).text() == "gpt-4o"  # priced as the catalog's gpt-4o
    assert isinstance(dialog.chart, SvgChart) and dialog.chart.renderer.isValid()
    assert "2026-09-01 to 2026-09-03: 3 days in 1-day buckets, 2 models" in dialog.period_label.text()
    apply_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Apply)
    assert not apply_button.isEnabled()  # nothing mapped yet
    dialog.map_model("gpt-4o-2024-08-06", "w1")
    dialog.map_model("gpt-4o-mini-2024-07-18", "w1")
    assert dialog.mapping() == {"w1": {"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18"}}
    assert apply_button.isEnabled()
    dialog.apply()
    answers = document.assessment.workload("w1").answers
    # Both models on days 1 and 2: 1,800 + 3,000 tokens over 2 days.
    assert answers["tokens_per_day"].value == 2400 and answers["tokens_per_day"].confidence == "measured"
    assert answers["measured_days"].value == 2 and answers["volume_method"].value == "tokens"
    assert "2026-09-01 to 2026-09-02 (2 days)" in answers["volume_basis"].note
    assert window.isWindowModified()
    assert "w2" not in dialog.mapping()


def test_reconciliation_compares_the_stated_bill_with_priced_usage(window, qtbot, example_paths):
    _open_example(window, example_paths)
    dialog = _dialog(window, qtbot)
    text = dialog.reconciliation_label.text()
    assert "The export's usage at list prices: $0 a month" in text  # a few thousand tokens a day
    # The example states $15,000 a month: far above a few thousand tokens a day at list prices.
    assert "The stated API spend is $15,000 a month" in text and "outside the 2x tolerance" in text
    csv_dialog = _dialog(window, qtbot, files=("generic.csv",))
    assert "1 models not in the catalog are left out: support-bot" in csv_dialog.reconciliation_label.text()


def test_an_unreadable_export_gives_one_message_and_changes_nothing(window, qtbot, dialogs, tmp_path):
    dialog = _dialog(window, qtbot)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    assert not dialog.add_files([bad])
    assert any("Import usage" in s and "bad.json: not valid JSON" in s for s in dialogs.seen), dialogs.seen
    assert dialog.paths == [USAGE / "openai_completions_1d.json"] and dialog.table.rowCount() == 2


def test_menu_entries_open_the_dialogs(window, monkeypatch):
    opened = []
    monkeypatch.setattr(UsageImportDialog, "exec", lambda self: opened.append(self.windowTitle()))
    monkeypatch.setattr(CatalogPacksDialog, "exec", lambda self: opened.append(self.windowTitle()))
    _menu_action(window, "Import &Usage…").trigger()
    _menu_action(window, "Catalog Packs and Trusted &Keys…").trigger()
    assert opened == ["Import usage", "Catalog packs and trusted keys"]


def _pack(tmp_path, key) -> Path:
    source = tmp_path / "src" / "catalogs"
    source.mkdir(parents=True)
    data = yaml.safe_load((ROOT / "catalogs" / "api_models.yaml").read_text())
    data["version"] = "2026-12-01"
    data["api_models"]["gpt-4o"]["usd_per_million_input_tokens"] = 1.0
    (source / "api_models.yaml").write_text(yaml.safe_dump(data))
    out = tmp_path / "acme.llmpack"
    build_pack(source.parent, out, key, name="acme", version="1.0", pack_date=date(2026, 12, 1))
    return out


def test_packs_dialog_saves_keys_imports_and_offers_the_update(window, qtbot, dialogs, tmp_path):
    key = Ed25519PrivateKey.generate()
    updates = []
    dialog = CatalogPacksDialog(window, on_imported=lambda: updates.append(True))
    qtbot.addWidget(dialog)
    dialog.keys.setPlainText("ed25519 not-a-key someone")
    assert not dialog.import_pack(_pack(tmp_path, key))
    assert any("Trusted keys" in s and "line 1" in s for s in dialogs.seen)
    dialog.keys.setPlainText(public_key_line(key, "Acme Advisory") + "\n")
    assert dialog.import_pack(tmp_path / "acme.llmpack")
    assert updates == [True]
    assert load_catalogs().pricing.api_models["gpt-4o"].usd_per_million_input_tokens == 1.0
    labels = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "Catalogs in use: hardware" in labels and "pricing 2026-12-01" in labels
    assert any("Installed acme 1.0 (2026-12-01), signed by Acme Advisory" in s for s in dialogs.seen)


def test_stale_prices_note_names_the_prices_and_the_threshold():
    days = AssumptionValue(id="price_staleness_days", label="x", value=120, default=120, unit="days", low=30,
                           high=365, source="s", as_of="2026-12")
    ids = ("api_models.gpt-4o", "gpus.a100-40gb.on_demand_usd_per_gpu_hour",
           *(f"api_models.m{i}" for i in range(8)))
    evaluation = make_evaluation(stale_price_ids=ids, stale_prices_on="2026-12-01", assumptions=(days,))
    text = stale_prices_text(evaluation)
    assert text.startswith("⚠ 10 catalog prices were more than 120 days old on 2026-12-01: OpenAI GPT-4o, "
                           "A100 40GB on-demand price, m0")  # by name; an id no catalog names stays as it is
    assert "and 2 more" in text and "api_models" not in text
    assert stale_prices_text(make_evaluation(stale_price_ids=())) is None


def test_update_to_current_catalogs_moves_the_assessment_onto_the_imported_pack(real_window, dialogs, qtbot,
                                                                                 tmp_path, monkeypatch, example_paths):
    from PySide6.QtWidgets import QMessageBox

    from app.storage.packs import import_pack, parse_trusted_keys

    window = real_window
    document = _open_example(window, example_paths)
    window.workspace.evaluator.catalogs()  # the example's snapshot: the bundled catalogs
    key = Ed25519PrivateKey.generate()
    import_pack(_pack(tmp_path, key), parse_trusted_keys(public_key_line(key, "Acme")))
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()) or
                        QMessageBox.StandardButton.Yes)
    assert window.update_catalogs()
    assert "api_models.gpt-4o.usd_per_million_input_tokens: 2.5 -> 1.0" in shown[0]
    assert document.assessment.catalog_snapshot["pricing"]["api_models"]["gpt-4o"]["usd_per_million_input_tokens"] == 1.0
