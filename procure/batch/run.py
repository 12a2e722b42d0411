"""Build many requests, each exactly as `procure build` would, in worker processes.

`find_requests` turns the inputs (request files, folders of them) into a list of
files. `run_batch` hands them to a process pool whose initializer loads the
catalog and the price list once per worker; `build_one` builds one request and
returns its `JobResult`, whatever happens: a failure is an outcome, never an
exception that stops the others. Two requests of one batch never write the same
quote number: the first to claim it builds, the other fails naming it. With
`issue`, each request is issued into the quote register instead (numbered,
stored and written as `procure quote issue` does); the register keeps numbers
unique across workers.

Ctrl-C stops the batch cleanly: it is noted, not raised, so the requests being
built finish (their files appear whole), and those not started are cancelled and
reported as failed; workers ignore it and leave it to the parent.

Options of the whole batch travel in `Job`, the one argument each worker gets;
a new option is one more field there and one more step in `build_one`.
"""

import os
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import NamedTuple

from procure.core.errors import InputError, ProcureError, RuleError

BUILT, ISSUED, FAILED = "built", "issued", "failed"
REQUEST_SUFFIXES = (".toml", ".xlsx", ".xlsm")
INTERRUPTED = "not built: the batch was interrupted"


class Job(NamedTuple):
    """What every request of a batch is built with."""

    output: str
    """The folder the outputs of every request go into."""
    prices: str | None = None
    """--prices: the price list for every request, overriding their own [pricing] price_list."""
    catalog: str | None = None
    """The catalog folder (None: the shipped catalog)."""
    profile: str | None = None
    """--profile: the vendor profile (None: env PROCURE_PROFILE or ./procure.toml, as `build` finds it)."""
    force: bool = False
    issue: bool = False
    """Issue each request into the quote register instead of building it."""
    register: str | None = None
    """The register to issue into, and whose customer directory completes a request naming only a DoDAAC
    (None: PROCURE_REGISTER's, else the default one)."""
    practice: bool = False
    """With `issue`: issue practice quotes (`procure quote issue --practice`)."""
    claims: str | None = None
    """A folder where each quote number of the batch is claimed by one request (set by `run_batch`)."""


class JobResult(NamedTuple):
    """What became of one request: a row of the batch summary."""

    file: str
    number: str = ""
    facility: str = ""
    dodaac: str = ""
    total: str = ""
    """Two decimals, or empty when not priced or not built."""
    status: str = FAILED
    problem: str = ""
    warnings: str = ""
    """The codes of the request's warnings, separated by spaces (`illustrative-prices nerve-stimulator-required`)."""
    illustrative: str = ""
    """`yes` when the quote's prices are illustrative, `no` when they are not, empty when not known."""


def find_requests(inputs) -> list[Path]:
    """The request files named and those in the folders named (sorted by name), in the order given, each once."""
    found, problems = [], []
    for given in map(Path, inputs):
        if given.is_dir():
            inside = sorted(p for p in given.iterdir() if p.is_file() and _is_request(p))
            if not inside:
                problems.append(f"{given}: the folder holds no request file ({', '.join(REQUEST_SUFFIXES)})")
            found += inside
        elif not given.exists():
            problems.append(f"{given}: no such request file or folder")
        elif given.suffix.lower() not in REQUEST_SUFFIXES:
            problems.append(f"{given}: is not a request file ({', '.join(REQUEST_SUFFIXES)})")
        else:
            found.append(given)
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(found))


def _is_request(path: Path) -> bool:
    """A request file, not a hidden file or the lock file Excel keeps beside an open workbook (`~$form.xlsx`)."""
    return path.suffix.lower() in REQUEST_SUFFIXES and not path.name.startswith((".", "~$"))


def run_batch(job: Job, paths: list[Path], *, jobs: int, done: Callable[[int, JobResult], None]) -> list[JobResult]:
    """The outcome of every request, in the order of `paths`; `done(index, outcome)` as each one is known.

    `jobs` worker processes (with one, the requests are built in this process). Ctrl-C cancels the requests not
    started; they are failed with the problem INTERRUPTED.
    """
    claims = tempfile.mkdtemp(prefix="procure-batch-")
    job = job._replace(claims=claims)
    try:
        with _Interrupts() as interrupts:
            if jobs <= 1 or len(paths) <= 1:
                _start(job, ignore_interrupts=False)
                return _in_process(paths, interrupts, done)
            return _in_pool(job, paths, jobs, interrupts, done)
    finally:
        for name in os.listdir(claims):
            os.unlink(os.path.join(claims, name))
        os.rmdir(claims)


def _in_process(paths: list[Path], interrupts: "_Interrupts", done) -> list[JobResult]:
    outcomes = []
    for index, path in enumerate(paths):
        outcomes.append(JobResult(str(path), problem=INTERRUPTED) if interrupts.seen else build_one(str(path)))
        done(index, outcomes[-1])
    return outcomes


def _in_pool(job: Job, paths: list[Path], jobs: int, interrupts: "_Interrupts", done) -> list[JobResult]:
    outcomes = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_start, initargs=(job,)) as pool:
        futures = [pool.submit(build_one, str(path)) for path in paths]
        for index, (path, future) in enumerate(zip(paths, futures, strict=True)):
            if interrupts.seen:
                for later in futures[index:]:
                    later.cancel()
            outcomes.append(_result(future, path))
            done(index, outcomes[-1])
    return outcomes


def _result(future, path: Path) -> JobResult:
    """The outcome a worker returned; failed when the request was cancelled or its worker died."""
    try:
        return future.result()
    except CancelledError:
        return JobResult(str(path), problem=INTERRUPTED)
    except BrokenProcessPool:
        return JobResult(str(path), problem="not built: a worker process stopped unexpectedly (out of memory?)")


class _Interrupts:
    """Ctrl-C noted, not raised, while a batch runs: the requests being built finish, the others are cancelled."""

    def __enter__(self) -> "_Interrupts":
        self.seen = False
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def _note(self, signum, frame) -> None:
        self.seen = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


_worker: dict = {}
"""The job, catalog and price list of this process, set once by `_start`."""


def _start(job: Job, ignore_interrupts: bool = True) -> None:
    """Per worker: load the catalog, the price list and the profile once; leave Ctrl-C to the parent, which stops
    cleanly."""
    from procure.core.catalog import load_catalog
    from procure.core.prices import read_price_list
    from procure.core.profile import profile_for

    if ignore_interrupts:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.update(job=job, catalog=load_catalog(job.catalog),
                   prices=read_price_list(job.prices) if job.prices else None, profile=profile_for(job.profile))
    if job.issue:
        from procure.register import open_register

        _worker["register"] = open_register(job.register)


def build_one(path: str) -> JobResult:
    """Build (or issue) one request as `procure build` (or `procure quote issue`) does; its outcome, whatever it is.

    What is known of the request (facility, number, total) is kept in the outcome of a failure too.
    """
    job = _worker["job"]
    known: dict[str, str] = {}
    try:
        status = (_issue_one if job.issue else _build_one)(job, path, known)
    except ProcureError as e:
        return JobResult(path, **_failed(known), problem="; ".join(e.problems))
    except Exception as e:  # a bug of ours must not stop the other requests
        return JobResult(path, **_failed(known), problem=f"internal error ({type(e).__name__}: {e}); please report it")
    return JobResult(path, **known, status=status)


def _failed(known: dict) -> dict:
    """What a failed request's row keeps of what was known: never a total, which no quote carries."""
    return {**known, "total": ""}


def _noted(known: dict, warnings, illustrative: bool) -> None:
    """Note the codes of a request's warnings and whether its prices are illustrative, for its summary row."""
    known.update(warnings=" ".join(dict.fromkeys(w.code for w in warnings)),
                 illustrative="yes" if illustrative else "no")


def _build_one(job: Job, path: str, known: dict) -> str:
    from procure.core.build import build_order
    from procure.core.money import json_money
    from procure.core.prices import price_list_for
    from procure.inputs import read_request
    from procure.register.customers import known_at
    from procure.renderers.outputs import write_outputs

    request = read_request(path, directory=lambda dodaac: known_at(job.register, dodaac))
    known.update(facility=request.customer.facility, dodaac=request.customer.dodaac)
    prices = _worker["prices"] if _worker["prices"] is not None else price_list_for(request)
    order = build_order(request, _worker["catalog"], prices=prices, profile=_worker["profile"])
    known.update(number=order.quote.number, total=json_money(order.total) or "")
    _noted(known, order.warnings, bool(order.price_list and order.price_list.illustrative))
    _claim(job, order.quote.number, path)
    write_outputs(order, job.output, force=job.force)
    return BUILT


def _issue_one(job: Job, path: str, known: dict) -> str:
    from procure.core.money import json_money
    from procure.register.customers import directory_of
    from procure.register.issuing import issue, read_source

    source = read_source(path, job.prices, job.profile, directory_of(_worker["register"]))
    known.update(facility=source.request.customer.facility, dodaac=source.request.customer.dodaac)
    result = issue(_worker["register"], source, _worker["catalog"], job.output, practice=job.practice)
    known.update(number=result.issued.number, total=json_money(result.issued.total) or "")
    _noted(known, result.warnings, bool(source.prices and source.prices.illustrative))
    return ISSUED


def _claim(job: Job, number: str, path: str) -> None:
    """Claim a quote number for this request; RuleError naming the request of the batch that has it already."""
    claims = job.claims
    assert claims is not None, "run_batch sets the claims folder"
    handle, draft = tempfile.mkstemp(dir=claims)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(path)
    try:
        os.link(draft, os.path.join(claims, number))
    except FileExistsError:
        with open(os.path.join(claims, number), encoding="utf-8") as stream:
            other = stream.read()
        raise RuleError(f"{path}: quote number {number} is also the number of {other} in this batch; give each "
                        f"request its own [quote] number") from None
    finally:
        os.unlink(draft)
