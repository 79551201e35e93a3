"""What the app imports on its way to the first window: app/__init__.py stands in for pydantic's plugin
loader while every plugin is disabled, and the stand-in must answer as pydantic's own would."""

from __future__ import annotations

import os
import subprocess
import sys

import pydantic

import app  # noqa: F401 (installs the stand-in)

LOADER = "pydantic.plugin._loader"


def _run(code: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", code], env={**environment, **env}, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_pydantics_own_loader_answers_no_plugins_when_all_are_disabled():
    assert _run(f"import {LOADER} as loader; print(tuple(loader.get_plugins()))",
                PYDANTIC_DISABLE_PLUGINS="__all__") == "()"


def test_the_stand_in_gives_the_same_answer_and_models_still_validate():
    assert tuple(sys.modules[LOADER].get_plugins()) == ()

    class Probe(pydantic.BaseModel):
        count: int

    assert Probe.model_validate({"count": "3"}).count == 3


def test_building_the_models_never_imports_package_metadata():
    code = "import sys, app.domain.assessment, app.domain.questionnaire; print('importlib.metadata' in sys.modules)"
    assert _run(code) == "False"


def test_a_user_who_enables_plugins_gets_pydantics_own_loader():
    code = f"import sys, app.domain.assessment; print(hasattr(sys.modules['{LOADER}'], 'entry_points'))"
    assert _run(code, PYDANTIC_DISABLE_PLUGINS="some-plugin") == "True"
