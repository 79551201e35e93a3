"""Names people read for the ids results carry: pools, providers and catalog entries."""

from __future__ import annotations

import typing

from app.domain.instances import Provider
from app.report.names import catalog_names, pool_label, with_names
from app.storage.catalogs import load_catalogs


def test_pools_are_numbered_for_people():
    assert [pool_label(i) for i in ("p1", "p2", "p12")] == ["Pool 1", "Pool 2", "Pool 12"]
    assert pool_label("shared-a") == "shared-a"  # an id of another shape is shown as it is


def test_every_cloud_provider_has_its_own_name():
    names = catalog_names(load_catalogs())
    assert {p: names[p] for p in typing.get_args(Provider)} == {
        "aws": "AWS", "azure": "Microsoft Azure", "gcp": "Google Cloud", "oracle": "Oracle Cloud",
        "coreweave": "CoreWeave", "lambda": "Lambda"}


def test_labels_built_from_ids_read_with_names():
    assert with_names("llama-3.3-70b (bf16) on a100-80gb") == "Llama 3.3 70B (BF16) on A100 80GB"
