"""Runs the engine for the open document. The fast core evaluation feeds the live panel on the main
thread (a few ms, coalesced per event-loop turn); the full evaluation (up to ~400 ms) runs on a worker
thread, and a result that is older than the latest edit is dropped."""

from __future__ import annotations

import importlib
import logging
from collections import OrderedDict
from types import ModuleType

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app.domain.errors import AdvisorError
from app.ui.files.document import Document

log = logging.getLogger(__name__)
FULL_DELAY_MS = 250  # let a burst of typing settle before the heavy run
# Capacity plans kept between runs. Every distinct number typed makes a new plan, so an unbounded cache
# grows for as long as the app runs; 64 covers every use case's recent values.
SIZING_CACHE_PLANS = 64


class BoundedCache(OrderedDict):
    """The engine's sizing cache (a mapping) that forgets its least recently used plans."""

    def __init__(self, limit: int = SIZING_CACHE_PLANS):
        super().__init__()
        self.limit = limit

    def __getitem__(self, key):
        self.move_to_end(key)
        return super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.limit:
            self.popitem(last=False)


def engine_module() -> ModuleType | None:
    """app.engine.evaluate, or None while the engine (or a part of it) is missing from this build: the
    wizard must keep working without results."""
    try:
        return importlib.import_module("app.engine.evaluate")
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("app."):
            raise  # a missing third-party package is a real installation fault
        log.warning("cost engine unavailable: %s is missing", error.name)
        return None


class _Relay(QObject):
    done = Signal(int, object, str)  # generation, evaluation or None, error text


class _FullRun(QRunnable):
    def __init__(self, generation: int, assessment, catalogs, cache: dict, relay: _Relay, latest=None):
        super().__init__()
        self.generation, self.assessment, self.catalogs, self.relay = generation, assessment, catalogs, relay
        self.cache = cache
        self.latest = latest or (lambda: generation)  # the newest edit's generation, read from this thread

    def run(self) -> None:
        try:
            result = self._evaluate()
            if result is not None:
                self.relay.done.emit(self.generation, result, "")
        except AdvisorError as error:
            self.relay.done.emit(self.generation, None, str(error))
        except Exception as error:  # an engine fault must reach the user, not kill the worker silently
            log.exception("full evaluation failed")
            self.relay.done.emit(self.generation, None, f"The calculation failed ({type(error).__name__}).")


    def _evaluate(self):
        """The full evaluation, its what-if scenarios one by one; None as soon as a newer edit makes it stale
        (each scenario re-plans in full: work for a stale result would only slow the typing down)."""
        engine = engine_module()
        result = engine.evaluate(self.assessment, self.catalogs, self.cache, scenarios=False)
        scenarios = []
        for scenario in self.assessment.scenarios:
            if self.latest() != self.generation:
                return None
            scenarios.append(engine.scenario_result(scenario, engine.evaluate_core(
                self.assessment.with_scenario(scenario), self.catalogs, self.cache)))
        return result.model_copy(update={"scenarios": tuple(scenarios)}) if scenarios else result


class Evaluator(QObject):
    core_ready = Signal(object)  # Evaluation (core) or None
    full_ready = Signal(object)  # Evaluation or None
    message = Signal(str)  # why there is no result (engine missing, inputs refused...)

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.core = None
        self.full = None
        self._catalogs = None
        # Capacity plans cached between runs (the engine's sizing_cache): one per thread, never shared.
        self._core_cache = BoundedCache()
        self._full_cache = BoundedCache()
        self._generation = 0
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_full_done)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._core_timer = QTimer(self, singleShot=True, interval=0)
        self._core_timer.timeout.connect(self.run_core)
        self._full_timer = QTimer(self, singleShot=True, interval=FULL_DELAY_MS)
        self._full_timer.timeout.connect(self.run_full)
        document.changed.connect(self.schedule)

    def catalogs(self):
        """The catalogs the document's results rest on (its snapshot), read once per document. A new
        assessment gets its snapshot here, after the first page is on screen, not during startup."""
        if self._catalogs is None:
            from app.storage.catalogs import catalogs_for, load_catalogs, snapshot_of
            assessment = self.document.assessment
            if assessment.catalog_snapshot is None:
                self._catalogs = load_catalogs()
                assessment.catalog_snapshot = snapshot_of(self._catalogs)
            else:
                self._catalogs = catalogs_for(assessment)
        return self._catalogs

    def reload_catalogs(self) -> None:
        """The document was re-baselined: read its new snapshot; plans cached for the old one are dropped."""
        self._catalogs = None
        self.clear_sizing_caches()
        self.schedule()

    def clear_sizing_caches(self) -> None:
        """New caches, so a worker still holding the old one finishes undisturbed."""
        self._core_cache, self._full_cache = BoundedCache(), BoundedCache()

    def schedule(self) -> None:
        self._generation += 1
        self._core_timer.start()
        self._full_timer.start()

    def run_core(self) -> None:
        engine = engine_module()
        if engine is None:
            self.message.emit("The cost engine is not available in this build.")
            return
        try:
            self.core = engine.evaluate_core(self.document.assessment, self.catalogs(), self._core_cache)
        except AdvisorError as error:
            self.core = None
            self.message.emit(str(error))
        except Exception as error:  # an engine fault on the GUI thread: said in the status area, every
            self.core = None  # keystroke re-runs it, so a dialog here would come back on each one
            log.warning("live evaluation failed (%s)", type(error).__name__)
            self.message.emit(f"The calculation failed ({type(error).__name__}).")
        self.core_ready.emit(self.core)

    def run_full(self) -> None:
        if engine_module() is None:
            return
        snapshot = self.document.assessment.model_copy(deep=True)  # the worker must not see later edits
        self._pool.start(_FullRun(self._generation, snapshot, self.catalogs(), self._full_cache, self._relay,
                                  lambda: self._generation))

    def run_full_now(self) -> None:
        self._full_timer.stop()
        self.run_full()

    def _on_full_done(self, generation: int, result, error: str) -> None:
        if generation != self._generation:
            return  # stale: the answers changed while it ran; a newer run is on its way
        self.full = result
        if error:
            self.message.emit(error)
        self.full_ready.emit(result)

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """No new run, and the one in flight finished: the pool is destroyed with its owner while Python holds
        the GIL, so a worker still running then (a slow machine, a run over 5 s) would deadlock it."""
        self._core_timer.stop()
        self._full_timer.stop()
        self._generation += 1  # a result still arriving is stale
        self._pool.waitForDone(-1)
