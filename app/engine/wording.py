"""Facts into words: the engine's codes and figures worded by the jinja2 templates in templates/decision/.
The template sources come in with the catalogs (storage reads them), so this stays pure: sources and facts
in, text out. A missing template is an error, never a silent English fallback."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import re


def usd(value: float) -> str:
    return f"${value:,.0f}"


def tokens(value: float) -> str:
    return f"{value / 1e6:,.1f}M tokens/day"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def number(value: float) -> str:
    return f"{value:,.0f}"


@lru_cache(maxsize=8)
def _environment(sources: tuple[tuple[str, str], ...]):
    import jinja2  # only an evaluation pays for loading jinja2 (headless commands start without it)
    import jinja2.sandbox
    env = jinja2.sandbox.SandboxedEnvironment(loader=jinja2.DictLoader(dict(sources)), autoescape=False,
                                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                                              lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(usd=usd, tokens=tokens, percent=percent, number=number)
    return env


def render(sources: Mapping[str, str], name: str, **context) -> str:
    """Render template `name` (e.g. "reason.j2") with `context`; whitespace runs collapse to one space."""
    template = _environment(tuple(sorted(sources.items()))).get_template(name)
    return re.sub(r" ([.,;:)])", r"\1", " ".join(template.render(**context).split()))
