"""The build's render processes: forked from the build process, each with its own
``Renderer`` and database connection, each fed over a pipe of its own."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
import sys
import traceback
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.db import connection, connections
from django.template import TemplateSyntaxError, engines
from django.urls import reverse

from core.languages import DEFAULT, OTHERS
from places.models import PlacePage
from website.cards import CardCache, card_rows

from .output import BuildError
from .render import Rendered, Renderer

if TYPE_CHECKING:
    from .builder import BuildConfig

#: Places per task when the cards are rendered ahead (``render_cards_ahead``).
CARD_CHUNK = 250
_PROCESS_GONE = "Ein Renderprozess ist unerwartet beendet worden."

# The renderer of a render process (``init_worker``).
_worker: Renderer | None = None


def init_worker(config: BuildConfig, root: Path, cards: CardCache) -> None:
    global _worker
    for conn in connections.all(initialized_only=True):
        conn.close()  # never use the parent's socket
    _worker = Renderer(config, root, cards)


def render_in_worker(key: str) -> Rendered:
    assert _worker is not None
    return _worker.render(key)


def cards_in_worker(task: tuple) -> dict[str, str]:
    """``task``: ``(rows, language)``."""
    assert _worker is not None
    return _worker.render_cards(*task)


def can_fork() -> bool:
    """Worker processes see only committed data, and need a database they can reconnect to."""
    if connection.in_atomic_block:
        return False
    name = str(connection.settings_dict.get("NAME", ""))
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return False
    return sys.platform.startswith("linux")


def _load_before_fork() -> None:
    """Load in the build process what each render process would otherwise load for itself
    on its first request (about 0.4 s of CPU each), so that the fork shares it:
    the URLconf with everything it imports, the URL resolver's reverse lookups and the
    compiled frontend templates."""
    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    reverse("place_index")
    engine = engines["django"].engine
    for folder in engine.dirs:
        for source in sorted(Path(folder).rglob("*.html")):
            with contextlib.suppress(TemplateSyntaxError):  # raised where it is used
                engine.get_template(source.relative_to(folder).as_posix())


class RenderProcesses:
    """Render processes forked from this one (``initializer(*initargs)``), each fed over a
    pipe of its own: ``submit`` hands a call to the least busy one, ``results`` yields what
    comes back in the order it arrives. (``multiprocessing.Pool`` woke three helper threads
    for every task: about 1 ms of this process's CPU per URL, taken from the render
    processes on a two-core machine.)

    A process that is sending its result does not read: whoever submits keeps no more in
    flight to a process than its pipe holds (64 KB on Linux), or both sides wait for each
    other. The crawl sends a few short keys; ``imap_unordered`` sends one call at a time.

    Everything this process holds (the manifest, the cards …) is frozen for the cyclic
    garbage collector before the fork: a collection in a render process would otherwise
    write to every inherited object and so copy all of the memory the processes share."""

    def __init__(self, workers: int, initializer, initargs: tuple):
        context = multiprocessing.get_context("fork")
        _load_before_fork()
        self.pipes = []
        self.processes = []
        self.busy: dict = {}
        connections.close_all()
        gc.freeze()
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(theirs, initializer, initargs), daemon=True
                )
                process.start()
                theirs.close()
                self.pipes.append(ours)
                self.processes.append(process)
                self.busy[ours] = 0
        finally:
            gc.unfreeze()

    def __enter__(self):
        return self

    def submit(self, function, *arguments) -> None:
        pipe = min(self.pipes, key=self.busy.__getitem__)
        try:
            pipe.send((function, arguments))
        except OSError:
            raise BuildError(_PROCESS_GONE) from None
        self.busy[pipe] += 1

    @property
    def pending(self) -> int:
        return sum(self.busy.values())

    def results(self):
        """What the submitted calls return, as each arrives, until none is pending."""
        while self.pending:
            for pipe in wait([pipe for pipe in self.pipes if self.busy[pipe]]):
                try:
                    failed, result = pipe.recv()
                except (EOFError, OSError):
                    raise BuildError(_PROCESS_GONE) from None
                self.busy[pipe] -= 1
                if failed:
                    raise result
                yield result

    def imap_unordered(self, function, arguments):
        """``function(argument)`` for each of ``arguments`` (of any size), one call in
        flight per process; the results as they arrive."""
        waiting = deque(arguments)
        while waiting or self.pending:
            while waiting and self.pending < len(self.pipes):
                self.submit(function, waiting.popleft())
            yield next(self.results())

    def __exit__(self, kind, error, trace):
        """Stop the processes: at once after an error, else once they have done their work."""
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            if error is not None:
                process.terminate()
            else:
                with contextlib.suppress(OSError):
                    pipe.send(None)
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            process.join()
            pipe.close()


def _serve(pipe, initializer, initargs: tuple) -> None:
    """A render process: run each ``(function, arguments)`` received, send back
    ``(failed, result or exception)``, stop at ``None``."""
    initializer(*initargs)
    while (task := pipe.recv()) is not None:
        function, arguments = task
        try:
            reply = (False, function(*arguments))
        except BaseException as error:  # sent to the build process, which raises it
            reply = (True, _picklable(error))
        pipe.send(reply)
    connections.close_all()  # end the database session now, not when the server notices


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # it does not survive the pipe: send its text
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        return BuildError(text)
    return error


def render_cards_ahead(config: BuildConfig, root: Path, cards: CardCache) -> int:
    """Put the cards of every visible place into ``cards`` in every language (the English
    listings show English cards: ``/en/`` links, the translation's texts), a few hundred
    places at a time (in render processes where the build may fork), before the pages: the
    render processes then start with every card instead of each one rendering a card again
    for each listing it first meets it on. Returns the number of places."""
    rows = card_rows(PlacePage.objects.visible().order_by("pk"))
    chunks = [rows[start : start + CARD_CHUNK] for start in range(0, len(rows), CARD_CHUNK)]
    tasks = [(chunk, language) for language in (DEFAULT, *OTHERS) for chunk in chunks]
    if len(tasks) > 2 and can_fork():
        workers = min(config.workers, len(tasks))
        with RenderProcesses(workers, init_worker, (config, root, cards)) as processes:
            for rendered in processes.imap_unordered(cards_in_worker, tasks):
                cards.backend.set_many(rendered)
    else:
        renderer = Renderer(config, root, cards)
        for task in tasks:
            cards.backend.set_many(renderer.render_cards(*task))
    return len(rows)
