"""Where the fuzzers aim: every location in a parsed JSON or YAML tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def tree_paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every location in a tree of dicts and lists, as a tuple of keys and indexes (the root first)."""
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from tree_paths(child, prefix + (key,))
