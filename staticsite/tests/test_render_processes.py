"""The build's render processes (``staticsite.processes.RenderProcesses``): calls and their
results of any size go through the pipes without both sides waiting for each other, and an
error in a process reaches the build."""

import threading

import pytest

from staticsite.output import BuildError
from staticsite.processes import RenderProcesses


def _nothing():
    pass


def _tripled(text: str) -> str:
    return text * 3


def _failing(text: str) -> str:
    raise ValueError(f"kaputt: {text}")


def _run(target, seconds: int = 60):
    """``target()`` in a thread; fails instead of hanging when it does not finish."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the render processes wait for each other (deadlock)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_large_calls_and_results_pass_without_deadlock():
    # Each call and each result is larger than a pipe holds (64 KB).
    arguments = [str(number) * 100_000 for number in range(12)]

    def work():
        with RenderProcesses(2, _nothing, ()) as processes:
            return list(processes.imap_unordered(_tripled, arguments))

    results = _run(work)
    assert sorted(results) == sorted(argument * 3 for argument in arguments)


def test_an_error_in_a_process_reaches_the_build():
    def work():
        with RenderProcesses(2, _nothing, ()) as processes:
            return list(processes.imap_unordered(_failing, ["a", "b", "c"]))

    with pytest.raises(ValueError, match="kaputt"):
        _run(work)


def test_a_process_that_dies_is_a_build_error():
    def work():
        with RenderProcesses(1, _nothing, ()) as processes:
            processes.processes[0].kill()
            return list(processes.imap_unordered(_tripled, ["a"]))

    with pytest.raises(BuildError, match="unerwartet beendet"):
        _run(work)
