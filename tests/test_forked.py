"""A long order's PDF is rendered in a second process (`renderers/forked.py`): same bytes, same failures.

Each check runs in a fresh single-threaded Python: the test runner's own threads would (rightly) stop a fork.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_a_long_order_renders_the_same_bytes_with_its_pdf_forked():
    out = run(f"""
        import os, sys
        sys.path.insert(0, {str(BENCHMARKS)!r})
        from scaling import PRICES, request_text
        import procure
        from procure.renderers import outputs

        forks = []
        fork = os.fork
        os.fork = lambda: forks.append(1) or fork()
        order = procure.build_order(procure.read_request(text=request_text(400, 50)), procure.shipped_catalog(),
                                    prices=procure.read_price_list(PRICES))
        files = procure.render(order)
        assert len(forks) == (1 if len(os.sched_getaffinity(0)) > 1 else 0), forks
        alone = {{suffix: renderer(order, None) for suffix, renderer in outputs.RENDERERS.items()}}
        assert list(files) == list(alone)
        assert files == alone
        print("same")
    """)
    assert out.strip() == "same"


EXAMPLE_ORDER = """
    import os, sys
    import procure
    from procure.shipped import shipped_folder

    examples = shipped_folder("examples")
    request = procure.read_request(os.path.join(examples, "request.toml"))
    prices = procure.read_price_list(os.path.join(examples, "prices-illustrative.csv"))
    order = procure.build_order(request, procure.shipped_catalog(), prices=prices)
"""


@pytest.mark.slow
def test_a_short_order_renders_its_pdf_beside_the_rest_while_reportlab_is_still_to_load():
    out = run(EXAMPLE_ORDER + """
    from procure.renderers import outputs

    forks = []
    fork = os.fork
    os.fork = lambda: forks.append(1) or fork()
    assert "reportlab" not in sys.modules
    files = procure.render(order)
    assert len(forks) == (1 if len(os.sched_getaffinity(0)) > 1 else 0), forks
    assert "reportlab" not in sys.modules  # loaded by the child only
    alone = {suffix: renderer(order, None) for suffix, renderer in outputs.RENDERERS.items()}
    assert files == alone and list(files) == list(alone)
    print("same")
    """)
    assert out.strip() == "same"


@pytest.mark.slow
def test_a_short_order_is_rendered_in_one_process_once_reportlab_is_loaded():
    out = run(EXAMPLE_ORDER + """
    import reportlab.platypus

    os.fork = None  # a fork would fail
    print(sorted(procure.render(order)))
    """)
    assert out.strip() == "['.html', '.pdf', '.txt', '.xlsx']"


def test_a_child_that_fails_leaves_the_work_to_this_process():
    out = run("""
        import os
        from procure.renderers.forked import Forked

        parent = os.getpid()

        def dies_in_the_child():
            if os.getpid() != parent:
                os.kill(os.getpid(), 9)
            return b"made here"

        def raises():
            raise ValueError("the same error")

        print(Forked(dies_in_the_child).result().decode())
        try:
            Forked(raises).result()
        except ValueError as e:
            print(e)
    """)
    assert out.splitlines() == ["made here", "the same error"]


def test_a_child_whose_result_is_not_taken_is_ended_and_reaped():
    out = run("""
        import os
        from procure.renderers.forked import Forked

        import time

        forked = Forked(lambda: b"x" * 10_000_000)  # more than a pipe holds: the child waits to write
        pid = forked._pid
        forked.close()
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            print("reaped")
        slow = Forked(lambda: time.sleep(30) or b"late")  # ended at once, not when it is done
        start = time.monotonic()
        slow.close()
        print("at once" if time.monotonic() - start < 5 else "waited")
    """)
    assert out.split("\n")[:2] == ["reaped", "at once"]


def test_no_fork_while_another_thread_runs():
    out = run("""
        import threading
        from procure.renderers.forked import worth_forking

        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        print(worth_forking())
        stop.set()
    """)
    assert out.strip() == "False"


def test_an_interrupted_wait_for_the_child_leaves_nothing_behind():
    out = run("""
        import os, signal, time
        from procure.renderers.forked import Forked

        def slow():
            time.sleep(0.4)
            return b"late"

        def interrupt(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGALRM, interrupt)
        forked = Forked(slow)
        pid = forked._pid
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        try:
            forked.result()
        except KeyboardInterrupt:
            print("interrupted")
        forked.close()
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            print("reaped")
    """)
    assert out.splitlines() == ["interrupted", "reaped"]


def test_a_process_that_ignores_its_children_renders_here():
    """With SIGCHLD ignored (inherited from some service managers) the system reaps the child and its exit code
    cannot be known: its bytes are not trusted, and the work is done in this process."""
    out = run("""
        import os, signal
        from procure.renderers.forked import Forked

        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        parent = os.getpid()
        print(Forked(lambda: b"child" if os.getpid() != parent else b"here").result().decode())
    """)
    assert out.strip() == "here"


@pytest.mark.slow  # starts processes
def test_only_the_first_render_of_a_process_forks_to_load_reportlab():
    """Else every render of a loop (an API user's, `batch --jobs 1`) would fork a child to load it anew."""
    out = run(EXAMPLE_ORDER + """
    forks = []
    fork = os.fork
    os.fork = lambda: forks.append(1) or fork()
    first, second, third = (procure.render(order) for _ in range(3))
    assert first == second == third
    print(len(forks), "reportlab" in sys.modules)
    """)
    cores = len(os.sched_getaffinity(0))
    assert out.split() == (["1", "True"] if cores > 1 else ["0", "True"])
