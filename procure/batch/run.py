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
reported as failed; workers ignore it and leave it to the parent. A worker that
dies (the OOM killer, kill -9) stops only its own requests: each runs again,
alone, in a fresh worker, and is failed if that one dies too. Workers end when
the batch that started them is gone, and a batch removes the claims folders that
killed batches left.

Options of the whole batch travel in `Job`, the one argument each worker gets;
a new option is one more field there and one more step in `build_one`.
"""

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from procure.core.errors import InputError, ProcureError, RuleError
from procure.core.record import Record

BUILT, ISSUED, FAILED = "built", "issued", "failed"
REQUEST_SUFFIXES = (".toml", ".xlsx", ".xlsm")
INTERRUPTED = "not built: the batch was interrupted"
SUMMARY_STEM = "batch-summary"
"""The summary's files are batch-summary.csv and .xlsx."""
DIED_TWICE = "not built: the worker process building it stopped twice (out of memory?)"
DIED_AT_START = "not built: worker processes stopped before building anything (out of memory?)"
CLAIMS_PREFIX = "procure-batch-"
"""The temporary folder of a batch's claims is `procure-batch-<pid>-<random>`."""


class Job(Record):
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
    html: bool = True
    """Write the accessible HTML copy beside the other outputs (`--no-html`: leave it out)."""
    claims: str | None = None
    """A folder where each quote number of the batch is claimed by one request (set by `run_batch`)."""


class JobResult(Record):
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
    """The request files named and those in the folders named (sorted by name), in the order given, each once.

    In a folder, the outputs of an earlier batch or build (a batch summary, a quote's workbook beside its PDF)
    are not requests; an empty name (an unset variable) is refused, never read as the current folder.
    """
    found, problems = [], []
    for text in inputs:
        if not str(text).strip():
            problems.append(f"{text!r}: an empty name was given as a request file or folder (an unset variable?); "
                            f"name the request files or folders")
            continue
        given = Path(text)
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
    """A request file, not a hidden file, the lock file Excel keeps beside an open workbook (`~$form.xlsx`), a
    batch summary, or the workbook of a quote (beside its PDF of the same name)."""
    return (path.suffix.lower() in REQUEST_SUFFIXES and not path.name.startswith((".", "~$"))
            and path.stem != SUMMARY_STEM and not path.with_suffix(".pdf").exists())


def run_batch(job: Job, paths: list[Path], *, jobs: int, done: Callable[[int, JobResult], None]) -> list[JobResult]:
    """The outcome of every request, in the order of `paths`; `done(index, outcome)` for each, in that order.

    `jobs` worker processes (with one, the requests are built in this process). Ctrl-C cancels the requests not
    started; they are failed with the problem INTERRUPTED. A worker that dies (killed, out of memory) takes
    only the requests it was building: each is built again alone in a fresh worker, and failed if that dies too.
    """
    import shutil

    _remove_abandoned_claims(tempfile.gettempdir())
    claims = tempfile.mkdtemp(prefix=f"{CLAIMS_PREFIX}{os.getpid()}-")
    job = job._replace(claims=claims)
    try:
        with _Interrupts() as interrupts:
            if jobs <= 1 or len(paths) <= 1:
                _start(job, ignore_interrupts=False)
                return _in_process(paths, interrupts, done)
            return _in_pool(job, paths, jobs, interrupts, done)
    finally:
        shutil.rmtree(claims, ignore_errors=True)


def _remove_abandoned_claims(folder: str) -> None:
    """Remove the claims folders of batches whose process is gone (killed before it could remove its own)."""
    import shutil

    for name in os.listdir(folder):
        pid = name[len(CLAIMS_PREFIX):].partition("-")[0]
        if name.startswith(CLAIMS_PREFIX) and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _in_process(paths: list[Path], interrupts: "_Interrupts", done) -> list[JobResult]:
    outcomes = []
    for index, path in enumerate(paths):
        outcomes.append(JobResult(str(path), problem=INTERRUPTED) if interrupts.seen else build_one(str(path)))
        done(index, outcomes[-1])
    return outcomes


def _in_pool(job: Job, paths: list[Path], jobs: int, interrupts: "_Interrupts", done) -> list[JobResult]:
    """Rounds of a process pool until every request has an outcome: a round ends when it is done or a worker
    died; then each request a dead worker was building runs alone in the next round (a second death fails it)."""
    _load_before_forking()
    outcomes: dict[int, JobResult] = {}
    strikes: dict[int, int] = {}
    reported = 0

    def record(index: int, outcome: JobResult) -> None:
        nonlocal reported
        outcomes[index] = outcome
        while reported in outcomes:
            done(reported, outcomes[reported])
            reported += 1

    while len(outcomes) < len(paths):
        waiting = [i for i in range(len(paths)) if i not in outcomes]
        if interrupts.seen:
            for index in waiting:
                record(index, JobResult(str(paths[index]), problem=INTERRUPTED))
            break
        retried = [i for i in waiting if strikes.get(i)]
        group = retried[:1] or waiting
        died = _round(job, paths, group, min(jobs, len(group)), interrupts, record)
        started = [i for i in died if os.path.exists(_started(job, i))]
        for index in started:
            strikes[index] = strikes.get(index, 0) + 1
            if strikes[index] >= 2:
                record(index, JobResult(str(paths[index]), problem=DIED_TWICE))
        if died and not started and not any(i in outcomes for i in group):
            for index in died:
                record(index, JobResult(str(paths[index]), problem=DIED_AT_START))
    return [outcomes[i] for i in range(len(paths))]


def _load_before_forking() -> None:
    """Where workers are forked from this process, import here what each would import to build: each worker
    then starts with it instead of importing it itself (and the summary workbook needs openpyxl here anyway)."""
    import importlib
    import multiprocessing

    if multiprocessing.get_start_method() == "fork":
        for renderer in ("pdf", "summary", "workbook"):
            importlib.import_module(f"procure.renderers.{renderer}")


def _round(job: Job, paths: list[Path], indexes: list[int], workers: int, interrupts: "_Interrupts",
           record) -> list[int]:
    """Build `indexes` in a fresh pool of `workers`, recording each outcome; the indexes left when a worker died."""
    for index in indexes:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_started(job, index))
    died = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=(job,)) as pool:
        futures = [(index, pool.submit(_build_numbered, index, str(paths[index]))) for index in indexes]
        for index, future in futures:
            if interrupts.seen:
                for _, later in futures:
                    later.cancel()
            try:
                record(index, future.result())
            except CancelledError:
                record(index, JobResult(str(paths[index]), problem=INTERRUPTED))
            except BrokenProcessPool:
                died.append(index)
    return died


def _started(job: Job, index: int) -> str:
    return os.path.join(str(job.claims), f"started-{index}")


def _build_numbered(index: int, path: str) -> JobResult:
    """In a worker: note that request `index` started (so that the death of this worker is laid at its door
    only), then build it."""
    os.close(os.open(_started(_worker["job"], index), os.O_CREAT | os.O_WRONLY, 0o600))
    return build_one(path)


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
    cleanly; stop when the parent is gone. A problem is kept, and each request fails with it (never a traceback)."""
    from procure.core.catalog_reader import load_catalog
    from procure.core.prices import read_price_list
    from procure.core.profile import profile_for

    if ignore_interrupts:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_stop_with, args=(os.getppid(),), daemon=True).start()
    _worker.clear()
    try:
        _worker.update(job=job, catalog=load_catalog(job.catalog),
                       prices=read_price_list(job.prices) if job.prices else None, profile=profile_for(job.profile))
    except ProcureError as e:
        _worker.update(job=job, problem="; ".join(e.problems))


PARENT_CHECK = 0.5
"""Seconds between a worker's looks at whether the batch that started it is still there."""


def _stop_with(parent: int) -> None:
    """In a worker: end this process as soon as its parent is gone (killed with -9, say): no worker outlives
    its batch, holding the caller's pipes."""
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def build_one(path: str) -> JobResult:
    """Build (or issue) one request as `procure build` (or `procure quote issue`) does; its outcome, whatever it is.

    What is known of the request (facility, number, total) is kept in the outcome of a failure too.
    """
    job = _worker["job"]
    known: dict[str, str] = {}
    if "problem" in _worker:
        return JobResult(path, problem=_worker["problem"])
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
    from procure.register.facility_directory import known_at
    from procure.renderers.outputs import write_outputs, written_suffixes

    request = read_request(path, directory=lambda dodaac: known_at(job.register, dodaac))
    known.update(facility=request.customer.facility, dodaac=request.customer.dodaac)
    prices = _worker["prices"] if _worker["prices"] is not None else price_list_for(request)
    order = build_order(request, _worker["catalog"], prices=prices, profile=_worker["profile"])
    known.update(number=order.quote.number, total=json_money(order.total) or "")
    _noted(known, order.warnings, bool(order.price_list and order.price_list.illustrative))
    _claim(job, order.quote.number, path)
    write_outputs(order, job.output, force=job.force, suffixes=written_suffixes(job.html))
    return BUILT


def _issue_one(job: Job, path: str, known: dict) -> str:
    from procure.core.money import json_money
    from procure.register.facility_directory import directory_of
    from procure.register.issuing import issue, read_source
    from procure.renderers.outputs import written_suffixes

    with _register(job) as store:
        source = read_source(path, job.prices, job.profile, directory_of(store))
        known.update(facility=source.request.customer.facility, dodaac=source.request.customer.dodaac)
        result = issue(store, source, _worker["catalog"], job.output, practice=job.practice,
                       suffixes=written_suffixes(job.html))
    known.update(number=result.issued.number, total=json_money(result.issued.total) or "")
    _noted(known, result.warnings, bool(source.prices and source.prices.illustrative))
    return ISSUED


def _register(job: Job):
    """The register, opened for one issue and closed after it, so that a batch of more workers than the server
    has connections takes turns; a server that refuses a connection is asked again until the register timeout."""
    import time

    from procure.core.errors import RegisterUnreachable
    from procure.register import open_register
    from procure.register.connection import wait_seconds

    deadline, pause = time.monotonic() + wait_seconds(None), 0.05
    while True:
        try:
            return open_register(job.register, shared=True)
        except RegisterUnreachable:
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


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
        if other == path:  # its own claim, from a worker that died building it
            return
        raise RuleError(f"{path}: quote number {number} is also the number of {other} in this batch; give each "
                        f"request its own [quote] number") from None
    finally:
        os.unlink(draft)
