"""Pydantic models and nothing else: the vocabulary every other package speaks."""
