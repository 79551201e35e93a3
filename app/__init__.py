"""LLM Deployment Advisor: should a client self-host its LLMs, use an API, or both?"""

import os
import sys
import types

# The app uses no pydantic plugins; looking for them scans every installed package's metadata the first
# time a model is built (~40 ms of startup). A user can still opt in by setting the variable.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_loader() -> None:
    """With every plugin disabled, pydantic's plugin loader still imports importlib.metadata (~12 ms of the
    desktop's start, on the way to its first window) only for its one function, get_plugins, to answer ().
    This stands in for the loader with that same answer (tests/test_startup_imports.py holds the two to
    it); any other setting of the variable loads pydantic's own."""
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] != "__all__" or _PLUGIN_LOADER in sys.modules:
        return
    loader = types.ModuleType(_PLUGIN_LOADER, "Every pydantic plugin is disabled (app/__init__.py).")
    loader.get_plugins = lambda: ()
    sys.modules[_PLUGIN_LOADER] = loader


_skip_plugin_loader()

__version__ = "0.1.0"
APP_NAME = "LLM Deployment Advisor"
APP_ID = "llm-deployment-advisor"
