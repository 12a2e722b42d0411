"""One render at a time in a process, in the order the threads asked: the queue an issue renders in.

A process's threads share one interpreter lock, so renders side by side take as long as one after another,
and all end together at the end of their shared stretch. In a queue each ends as soon as it can, in the
order of the numbers it claimed (`claims`), which is the order the register takes them in: no issue waits
for the others of its process to be stored. A process has several rendering threads in the web desk (a
worker's threads); the command line and a batch's workers have one.
"""

import threading


class FairLock:
    """A lock its waiters take in the order they asked for it (threading.Lock lets a late thread in first)."""

    def __init__(self):
        self._turns = threading.Condition()
        self._next = self._serving = 0

    def __enter__(self):
        with self._turns:
            ticket, self._next = self._next, self._next + 1
            self._turns.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc):
        with self._turns:
            self._serving += 1
            self._turns.notify_all()


RENDERING = FairLock()
"""Held while an issue claims its number and renders."""
IN_FLIGHT = threading.BoundedSemaphore(2)
"""Issues of a process between claiming and storing: one rendering, one being stored."""
