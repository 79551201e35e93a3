"""The usage import dialog and its chart, offscreen, on a 95-day OpenAI usage export made up here (three
models, weekday traffic, steady growth):

    .venv/bin/python docs/screenshots/make_usage_screenshots.py

Writes docs/screenshots/usage-dialog.png and usage-packs.png; uses a throw-away user folder."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LLM_ADVISOR_HOME"] = tempfile.mkdtemp(prefix="llm-advisor-shots-")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from make_screenshots import EXAMPLE, settle  # noqa: E402

DAY_SECONDS = 86400
FIRST_DAY = 1788220800 - 95 * DAY_SECONDS  # 95 days ending 2026-08-31 (UTC)
MODELS = {"gpt-4o-2024-08-06": (9_000_000, 0.35), "gpt-4o-mini-2024-07-18": (22_000_000, 0.6),
          "gpt-4.1-2025-04-14": (3_000_000, 0.2)}


def _export(path: Path) -> Path:
    """One page per day, as the usage API returns them with group_by=model and bucket_width=1d."""
    pages = []
    for day in range(95):
        weekday = 0.55 if day % 7 in (5, 6) else 1.0
        results = []
        for model, (tokens, cached) in MODELS.items():
            total = tokens * weekday * math.exp(0.006 * day) * (1 + 0.08 * math.sin(day * 1.7))
            input_tokens = int(total * 0.8)
            results.append({"object": "organization.usage.completions.result", "model": model,
                            "input_tokens": input_tokens, "output_tokens": int(total * 0.2),
                            "input_cached_tokens": int(input_tokens * cached), "num_model_requests": int(total / 1400)})
        start = FIRST_DAY + day * DAY_SECONDS
        pages.append({"object": "page", "data": [{"object": "bucket", "start_time": start,
                                                  "end_time": start + DAY_SECONDS, "results": results}],
                      "has_more": day < 94, "next_page": None})
    path.write_text("\n".join(json.dumps(p) for p in pages) + "\n")
    return path


def main() -> int:
    from app.storage.resources import find_resource
    from app.ui.files.catalog_packs import CatalogPacksDialog
    from app.ui.main import build_window, make_application
    from app.ui.dialogs.usage_dialog import UsageImportDialog
    app = make_application()
    window = build_window(str(find_resource("examples", EXAMPLE)))
    window.show()
    settle(app)
    dialog = UsageImportDialog(window.document, window.workspace.evaluator.catalogs(), window)
    dialog.add_files([_export(Path(tempfile.mkdtemp()) / "openai-usage-completions.jsonl")])
    dialog.map_model("gpt-4o-2024-08-06", "w1")
    dialog.map_model("gpt-4o-mini-2024-07-18", "w3")
    dialog.resize(1180, 820)
    dialog.show()
    settle(app, 400)
    dialog.grab().save(str(HERE / "usage-dialog.png"))
    packs = CatalogPacksDialog(window)
    packs.show()
    settle(app, 300)
    packs.grab().save(str(HERE / "usage-packs.png"))
    window.document.set_modified(False)
    window.workspace.shutdown()
    window.autosave.discard()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
