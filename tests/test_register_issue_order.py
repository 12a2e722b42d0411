"""The order of an issue: render first, then store and place under the write lock only (issue 17, items 1, 11-13).

A desk that loses a race never removes the winner's files; a kill before COMMIT leaves no document of a
number the register never issued; a long issue does not hold the lock while it renders; the bytes kept
are the bytes built.
"""

import multiprocessing
import os
import subprocess
import sys
import textwrap
import time

import pytest

from procure import open_register

from conftest import REPO
from orders import PRICES
from registers import MORE, REQUEST, Desk, number

DOCUMENTS = (".html", ".pdf", ".txt", ".xlsx")


def documents(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in DOCUMENTS) if folder.exists() else []


# ------------------------------------------------------------------ item 1: the loser never removes the winner's files


def _racer(target, request, prices, out, rounds, barrier, results):
    import procure
    from procure.core.errors import ProcureError
    from procure.register.issuing import issue, read_source

    catalog = procure.shipped_catalog()
    with procure.open_register(target) as store:
        for k in range(rounds):
            source = read_source(request.replace("ROUND", str(k)), prices)
            barrier.wait(timeout=60)
            try:
                results.put((k, issue(store, source, catalog, f"{out}/{k}").issued.number))
            except ProcureError as e:
                results.put((k, f"refused: {e}"))


@pytest.mark.slow
def test_the_desk_that_loses_a_same_number_race_leaves_the_winners_files(postgres_schema, tmp_path):
    rounds = 50
    for k in range(rounds):
        text = REQUEST.replace("[customer]", f'[quote]\nnumber = "RACE-{k}"\n\n[customer]')
        for desk in "ab":
            (tmp_path / f"{desk}{k}.toml").write_text(text, encoding="utf-8")
    (tmp_path / "prices.csv").write_text(PRICES, encoding="utf-8")
    open_register(postgres_schema).close()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    desks = [context.Process(target=_racer, args=(postgres_schema, str(tmp_path / f"{d}ROUND.toml"),
                                                  str(tmp_path / "prices.csv"), str(tmp_path / "out"), rounds,
                                                  barrier, results)) for d in "ab"]
    for desk in desks:
        desk.start()
    deadline = time.monotonic() + 300  # the whole race is bounded: 50 rounds take seconds
    outcomes = [results.get(timeout=max(1.0, deadline - time.monotonic())) for _ in range(2 * rounds)]
    for desk in desks:
        desk.join(timeout=max(1.0, deadline - time.monotonic()))
        assert desk.exitcode == 0
    with open_register(postgres_schema) as store:
        for k in range(rounds):
            issued = [n for r, n in outcomes if r == k and not n.startswith("refused")]
            assert issued == [f"RACE-{k}"], [o for o in outcomes if o[0] == k]
            stored = {f"RACE-{k}{f.suffix}": f.content for f in store.files(f"RACE-{k}")}
            folder = tmp_path / "out" / str(k)
            assert documents(folder) == sorted(stored), k
            assert all((folder / name).read_bytes() == data for name, data in stored.items()), k


# ------------------------------------------------------------------ item 11: a kill before COMMIT leaves no document

KILLED_AT = textwrap.dedent("""
    import os, signal, sys
    import procure
    from procure.register import store as store_module
    from procure.register.issuing import issue, read_source

    target, request, prices, out, when = sys.argv[1:]
    real = store_module.Store.run
    added = []

    def run(self, sql, params=()):
        if sql.startswith("INSERT INTO quotes"):
            added.append(sql)
        if sql == "COMMIT" and added and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(self, sql, params)
        if sql == "COMMIT" and added and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    store_module.Store.run = run
    with procure.open_register(target) as store:
        issue(store, read_source(request, prices), procure.shipped_catalog(), out)
""")


def _killed_issue(desk, when: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER": ""}
    killed = subprocess.run([sys.executable, "-c", KILLED_AT, desk.target, str(desk.request()), str(desk.prices),
                             str(desk.out), when], capture_output=True, text=True, env=env, timeout=120)
    assert killed.returncode == -9, killed.stderr
    return killed


@pytest.mark.slow  # kills processes
def test_a_kill_before_commit_leaves_no_document_of_the_number(register_target, tmp_path):
    desk = Desk(register_target, tmp_path)
    _killed_issue(desk, "before")
    assert documents(desk.out) == []
    (tmp_path / "elsewhere").mkdir()
    elsewhere = Desk(register_target, tmp_path / "elsewhere")
    result = elsewhere.issue()
    assert result.exit_code == 0 and result.stdout.startswith(f"issued {number(1)}"), result.stderr
    assert documents(elsewhere.out) == sorted(f"{number(1)}{s}" for s in DOCUMENTS)


@pytest.mark.slow  # kills processes
def test_a_kill_after_commit_keeps_the_number_and_its_files_in_the_register(register_target, tmp_path):
    desk = Desk(register_target, tmp_path)
    _killed_issue(desk, "after")
    copy = desk("quote", "files", number(1), "-o", tmp_path / "copy")
    assert copy.exit_code == 0, copy.stderr
    assert documents(tmp_path / "copy") == sorted(f"{number(1)}{s}" for s in DOCUMENTS)
    assert desk.issue().stdout.startswith(f"issued {number(2)}")


# ------------------------------------------------------------------ item 12: the lock is not held while rendering

SLOW_RENDER = textwrap.dedent("""
    import sys, time
    import procure
    from procure.renderers import outputs
    from procure.register.issuing import issue, read_source

    target, request, prices, out, flag = sys.argv[1:]
    real = outputs.render
    slow = [True]

    def render(order, templates=None):
        if slow[0]:
            slow[0] = False
            open(flag, "w").close()
            time.sleep(4)
        return real(order, templates)

    outputs.render = render
    with procure.open_register(target) as store:
        print(issue(store, read_source(request, prices), procure.shipped_catalog(), out).issued.number)
""")


@pytest.mark.slow
def test_a_long_issue_does_not_hold_the_lock_while_it_renders(register_target, tmp_path):
    (tmp_path / "long").mkdir()
    (tmp_path / "short").mkdir()
    long_desk = Desk(register_target, tmp_path / "long")
    short_desk = Desk(register_target, tmp_path / "short")
    open_register(register_target).close()
    flag = tmp_path / "rendering"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROCURE_REGISTER_TIMEOUT": "60"}
    slow = subprocess.Popen([sys.executable, "-c", SLOW_RENDER, register_target, str(long_desk.request(MORE)),
                             str(long_desk.prices), str(long_desk.out), str(flag)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert slow.poll() is None and time.monotonic() < deadline, slow.stderr and slow.stderr.read()
            time.sleep(0.05)
        started = time.monotonic()
        quick = short_desk.issue(env={"PROCURE_REGISTER_TIMEOUT": "1"})
        assert quick.exit_code == 0, quick.stderr
        assert time.monotonic() - started < 3.5
        stdout, stderr = slow.communicate(timeout=120)
    finally:
        slow.kill()
    assert slow.returncode == 0, stderr
    assert sorted([quick.stdout.split()[1], stdout.strip()]) == [number(1), number(2)]
    with open_register(register_target) as store:
        for desk, issued in ((short_desk, quick.stdout.split()[1]), (long_desk, stdout.strip())):
            stored = {f"{issued}{f.suffix}": f.content for f in store.files(issued)}
            assert all((desk.out / name).read_bytes() == data for name, data in stored.items())
            assert documents(desk.out) == sorted(stored)


# ------------------------------------------------------------------ item 13: the bytes kept are the bytes built


def test_the_request_kept_is_the_request_built_though_the_file_changes_meanwhile(register_target, tmp_path,
                                                                                 monkeypatch):
    from procure.register import issuing

    desk = Desk(register_target, tmp_path)
    path = desk.request()
    real = issuing.read_bytes

    def read_then_swap(file, *args, **kwargs):
        data = real(file, *args, **kwargs)
        if file.name == path.name:
            path.write_text(REQUEST.replace("Public Example Clinic", "Swapped Facility"), encoding="utf-8")
        return data

    monkeypatch.setattr(issuing, "read_bytes", read_then_swap)
    with open_register(register_target) as store:
        import procure
        outcome = issuing.issue(store, issuing.read_source(path, desk.prices), procure.shipped_catalog(), desk.out)
        kept = store.issued(outcome.issued.number)
    assert (kept.facility in kept.request_bytes.decode()) and "Swapped" not in kept.facility
