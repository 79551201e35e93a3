"""The examples bar: each example named by its client, two of one client told apart by their month."""

from __future__ import annotations

import json

from app.ui.files.start_banner import example_files, example_labels


def _example(folder, name, client, date):
    path = folder / f"{name}.llmassess"
    path.write_text(json.dumps({"format": "llm-deployment-advisor/assessment",
                                "engagement": {"client_name": client, "date": date}}), encoding="utf-8")
    return path


def test_one_clients_two_examples_say_their_month(tmp_path):
    paths = [_example(tmp_path, "a", "Northwind", "2026-08-03"), _example(tmp_path, "b", 'Harbour "Bank"', "2026-09-01"),
             _example(tmp_path, "c", "Northwind", "2026-11-02")]
    assert example_labels(paths) == ["Northwind, Aug 2026", 'Harbour "Bank"', "Northwind, Nov 2026"]


def test_a_file_without_a_header_is_named_by_its_file(tmp_path):
    path = tmp_path / "quarterly-review.llmassess"
    path.write_text("{}", encoding="utf-8")
    assert example_labels([path, tmp_path / "missing.llmassess"]) == ["Quarterly review", "Missing"]


def test_the_bundled_examples_all_read_differently():
    labels = example_labels(example_files())
    assert len(labels) == len(set(labels)) >= 5
