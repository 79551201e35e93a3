"""LLM Deployment Advisor: should a client self-host its LLMs, use an API, or both?"""

import os

# The app uses no pydantic plugins; looking for them scans every installed package's metadata the first
# time a model is built (~40 ms of startup). A user can still opt in by setting the variable.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"
APP_NAME = "LLM Deployment Advisor"
APP_ID = "llm-deployment-advisor"
