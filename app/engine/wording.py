"""Facts into words: the engine's codes and figures worded by the jinja2 templates in templates/decision/.
The template sources come in with the catalogs (storage reads them), so this stays pure: sources and facts
in, text out. A missing template is an error, never a silent English fallback.

Each template is rendered twice: once with en_US/USD filters (the text `evaluate --json` carries), and once with
filters that leave a placeholder where each figure goes, so the report and the screen print the same figures in
the display currency and locale (app/domain/figures.py). Templates print no literal braces (tested)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from app.domain.figures import Figure, literal

FILTER_KINDS = {"usd": "usd", "tokens": "tokens_per_day", "percent": "percent", "number": "number",
                "per_million_tokens": "usd_per_million_tokens"}


def _filter(kind: str):
    """A template filter that hands its figure to the render's `_figure` (English text, or a placeholder)."""
    def show(context, value) -> str:
        return context["_figure"](Figure(kind=kind, value=float(value)))
    return show


@lru_cache(maxsize=8)
def _environment(sources: tuple[tuple[str, str], ...]):
    import jinja2  # only an evaluation pays for loading jinja2 (headless commands start without it)
    import jinja2.sandbox
    env = jinja2.sandbox.SandboxedEnvironment(loader=jinja2.DictLoader(dict(sources)), autoescape=False,
                                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                                              lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update({name: jinja2.pass_context(_filter(kind)) for name, kind in FILTER_KINDS.items()})
    return env


def _render(sources: Mapping[str, str], name: str, show, context: Mapping) -> str:
    template = _environment(tuple(sorted(sources.items()))).get_template(name)
    return re.sub(r" ([.,;:)])", r"\1", " ".join(template.render(**context, _figure=show).split()))


def _placing(placed: dict[str, Figure], prefix: str):
    def place(value: Figure) -> str:
        key = f"{prefix}{len(placed)}"
        placed[key] = value
        return "{" + key + "}"
    return place


def _literal(value):
    """Context text (use-case names are user text) with its braces doubled: they are never placeholders."""
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_literal(v) for v in value)
    return value


_NONE = object()  # stands for None in the memo's keys: thousands of remembered keys holding None would drift
# None's reference count, which the soak test watches to catch Qt's None leaks (tests/ui/test_soak.py)


def _frozen(value):
    """A hashable stand-in for a render's context value (facts are strings, numbers and their tuples/dicts)."""
    if value is None:
        return _NONE
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _memo(function):
    """Renders are pure in (sources, template names, context) and the core evaluation repeats most of them on
    every keystroke: remember them (up to MEMO_SIZE, then start afresh). A context that cannot be hashed is
    rendered afresh."""
    remembered: dict = {}

    def call(sources, *args, **context):
        try:
            key = (tuple(sorted(sources.items())), _frozen(args), _frozen(context))
            found = remembered.get(key)
        except TypeError:
            return function(sources, *args, **context)
        if found is None:
            if len(remembered) >= MEMO_SIZE:
                remembered.clear()
            found = remembered[key] = function(sources, *args, **context)
        return found
    return call


MEMO_SIZE = 4096


def render(sources: Mapping[str, str], name: str, **context) -> str:
    """Template `name` (e.g. "route.j2") in en_US/USD; whitespace runs collapse to one space."""
    return _rendered(sources, name, **context)


def _render_english(sources, name: str, **context) -> str:
    return _render(sources, name, Figure.english, context)


def worded_fields(sources: Mapping[str, str], fields: Mapping[str, str], **context) -> dict:
    """The keyword arguments of a Worded result: each field rendered from its template in en_US/USD, plus its
    wording with a {placeholder} per figure and the figures themselves (fresh dicts: callers may keep them)."""
    found = _worded(sources, fields, **context)
    return {**found, "wordings": dict(found["wordings"]),
            "placed": {key: Figure(kind=kind, value=value) for key, (kind, value) in found["placed"].items()}}


def _worded_fields(sources, fields, **context) -> dict:
    """What worded_fields returns, with each placed figure as (kind, value): remembered results hold plain
    values, not models (whose empty slots would pin None's reference count, which the soak test watches)."""
    found: dict = {"wordings": {}, "placed": {}}
    for field, name in fields.items():
        found[field] = _render(sources, name, Figure.english, context)
        found["wordings"][field] = _render(sources, name, _placing(found["placed"], f"{field}_"),
                                           {key: _literal(value) for key, value in context.items()})
    found["placed"] = {key: (figure.kind, figure.value) for key, figure in found["placed"].items()}
    return found


_rendered = _memo(_render_english)
_worded = _memo(_worded_fields)
