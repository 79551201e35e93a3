"""Fixtures for the storage tests."""

from __future__ import annotations

import pytest

from app.storage import crypto
from app.storage.assessment_files import load_assessment


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    """scrypt at its smallest accepted cost (16 MiB) so the suite stays fast; one test checks the default."""
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)


@pytest.fixture
def example(example_paths):
    """A complete, realistic assessment (the bundled bank example)."""
    return load_assessment(next(p for p in example_paths if "bank" in p.name))
