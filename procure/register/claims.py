"""Numbers claimed by issues still rendering, so that desks issuing at once render under different numbers.

An issue renders its documents under the number the register will give it, before it takes that number
(`issuing`). Without claims every desk issuing at the same moment would render under the same next number,
and all but one would have rendered for nothing. So an issue of a new quote first claims a number in a short
transaction of its own (`claim`): the first free number of the year's sequence that no live claim holds.
The number itself is still taken only in the issue's write transaction, in the sequence's order, so the
numbers stay gapless: an issue done rendering before the issues whose claims come first waits for them
(`wait_turn`), and one whose claimed number was passed over renders again, as before claims.

A claim ends when its issue is stored (in that transaction) or fails (`release`). A claim holds its number
for STALE_SECONDS, or until its process ends (killed on this machine): an issue behind a longer render does not
wait for it but takes that number over, and the long render is done again under the next number (as every
render an issue lost was before claims). Claims only decide who renders under which number, never which
number is issued: a stale claim costs time, never a quote.
"""

import contextlib
import itertools
import os
import socket
import time
import uuid

from procure.register.store import Store

STALE_SECONDS = 1.5
"""How long a claim holds its number for its render (a quote of the desk renders in a tenth of a second; one
desk's very large quote must not keep the others waiting, issue 17)."""
POLL_SECONDS = 0.01
"""How often an issue waiting for its turn looks again."""
HOST = socket.gethostname()


def holder() -> str:
    """Who claims: this machine and process, and a token of the one issue."""
    return f"{HOST}/{os.getpid()}/{uuid.uuid4().hex[:12]}"


def claim(store: Store, year: int, by: str) -> str:
    """Claim the first number of the sequence of `year` that is neither issued nor held by a live claim (a
    stale claim of it is taken over)."""
    with store.writing():
        numbers = store.free_numbers(year, lock=True)
        first = next(numbers)  # the sequence is locked from here: claimers see each other's claims
        held = _live(store)
        number = next(n for _, n in itertools.chain([(0, first[1])], numbers) if n not in held)
        store.run("INSERT INTO number_claims (number, holder, claimed_at) VALUES (?, ?, ?) ON CONFLICT (number) "
                  "DO UPDATE SET holder = excluded.holder, claimed_at = excluded.claimed_at",
                  (number, by, time.time()))
    return number


def wait_turn(store: Store, year: int, number: str, by: str) -> None:
    """Return when `number` is the next of its sequence, or when the next one is not held by another live
    claim (then the issue takes that one and renders again); at most STALE_SECONDS."""
    deadline = time.monotonic() + STALE_SECONDS
    while time.monotonic() < deadline:
        # The claims first: a claim read here is gone later only once its number is taken, which the next
        # number, read after, then shows (the other way round, a number just taken would look unclaimed).
        ahead = _live(store, other_than=by)
        following = next(store.free_numbers(year))[1]
        if following == number or following not in ahead:
            return
        time.sleep(POLL_SECONDS)


def taken(store: Store, number: str, by: str | None) -> None:
    """Inside the issue's `writing()`: the claims of `number` and of the issue `by` end with the quote stored."""
    store.run("DELETE FROM number_claims WHERE number = ? OR holder = ?", (number, by or ""))


def release(store: Store, by: str) -> None:
    """End the claims of the issue `by` (it failed or renders again); a register that cannot be reached keeps
    them until they are stale."""
    with contextlib.suppress(Exception), store.writing():
        store.run("DELETE FROM number_claims WHERE holder = ?", (by,))


def _live(store: Store, other_than: str | None = None) -> set[str]:
    """The numbers held by claims that are not stale, except those of `other_than`."""
    oldest = time.time() - STALE_SECONDS
    return {number for number, who, at in store.all("SELECT number, holder, claimed_at FROM number_claims")
            if at >= oldest and who != other_than and _running(who)}


def _running(who: str) -> bool:
    """False when the claim's process was on this machine and has ended; True otherwise (another machine's
    processes cannot be seen from here: its claims end by age)."""
    host, _, rest = who.partition("/")
    pid = rest.partition("/")[0]
    if host != HOST or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True
