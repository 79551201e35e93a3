"""Sizing engine: memory, speed, capacity planning and optimisation levers. Pure functions over the
hardware catalog, which the caller passes in (no I/O, no Qt, no globals)."""

from app.engine.sizing.capacity import best_plan, plan_capacity
from app.engine.sizing.estimate import estimate

__all__ = ["best_plan", "estimate", "plan_capacity"]
