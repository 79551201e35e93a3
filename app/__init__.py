"""LLM Deployment Advisor: should a client self-host its LLMs, use an API, or both?"""

__version__ = "0.1.0"
APP_NAME = "LLM Deployment Advisor"
APP_ID = "llm-deployment-advisor"
