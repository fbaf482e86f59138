"""Running one notebook in a kernel: what a brief does when a cell's output never arrives."""

from __future__ import annotations

import time

import nbformat
import pytest

from reviewlib.brief import runner
from reviewlib.brief.runner import WarmKernelEngine, run_notebook

pytestmark = pytest.mark.slow

# A cell that has its kernel lose one message: the "idle" that tells the build all this cell's
# output is out. (An asyncio client watched by two threads' event loops lost messages this way.)
LOSE_IDLE = """kernel = get_ipython().kernel
publish = kernel._publish_status


def lose_idle(status, *args, **kwargs):
    if status == "idle":
        kernel._publish_status = publish  # once
        return None
    return publish(status, *args, **kwargs)


kernel._publish_status = lose_idle
print("the cell ran")"""


def _notebook(tmp_path, *cells: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = tmp_path / "brief.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("warm", [True, False], ids=["warm kernel", "fresh kernel"])
def test_a_cell_whose_output_never_arrives_fails_the_brief(tmp_path, monkeypatch, warm):
    """nbclient's default waits four seconds for the output, then carries on without it (a page
    published with a section missing); here the brief fails, says why, and the kernel is
    replaced: the next brief runs in a sound one."""
    monkeypatch.setattr(runner, "OUTPUT_WAIT", 2.0)
    WarmKernelEngine.cwd = str(tmp_path)
    try:
        lost = run_notebook(_notebook(tmp_path, "x = 1", LOSE_IDLE, "print('after')"), {}, 60, warm)
        assert not lost.ok
        assert "the output of this cell had not reached the build 2 s after" in lost.error
        assert "was not published" in lost.error
        if warm:
            assert lost.cell == 1
        assert not WarmKernelEngine.alive()  # stopped: started afresh for the next brief

        sound = run_notebook(_notebook(tmp_path, "x = 1", "print('after')"), {}, 60, warm)
        assert sound.ok, sound.error
        assert sound.notebook.cells[1].outputs[0]["text"] == "after\n"
    finally:
        WarmKernelEngine.stop()


def test_a_kernel_is_stopped_when_ctrl_c_left_the_event_loop_stopping(tmp_path):
    """Ctrl-C at the wrong moment of a call to the kernel (seen as `reviewlib watch` stopped)
    leaves this thread's event loop to stop the next call before it is done: the kernel is
    stopped all the same, and no error ends the watch before it says it stopped."""
    from jupyter_core.utils import ensure_event_loop

    from reviewlib.brief.lease import running

    WarmKernelEngine.start(tmp_path)
    pid = WarmKernelEngine.km.provisioner.pid
    try:
        ensure_event_loop().stop()  # the loop's state that Ctrl-C left (not running, stopping)
        WarmKernelEngine.stop()
        assert WarmKernelEngine.km is None
        for _ in range(100):
            if not running(pid):
                break
            time.sleep(0.1)
        assert not running(pid)
    finally:
        WarmKernelEngine.stop()


_LAUNCH = """
import sys
from pathlib import Path

from reviewlib.brief import kernel
from reviewlib.brief.kept import Keeper

papermill_first = []
real = kernel.launch


def launch(*args, **kwargs):
    papermill_first.append(sorted({"papermill", "jupyter_client"} & set(sys.modules)))
    return real(*args, **kwargs)


kernel.launch = launch
Keeper(Path(sys.argv[1]), Path(sys.argv[1]), 0).launch()
# set aside until the runner is imported (after the review is read), which takes it over
papermill_first.append(sorted({"papermill", "reviewlib.brief.runner"} & set(sys.modules)))
from reviewlib.brief.runner import WarmKernelEngine

WarmKernelEngine.join()
WarmKernelEngine._run("import sys; assert 'pandas' in sys.modules")
# charts' libraries are left to the first chart drawn: none is imported yet, and one drawn works
WarmKernelEngine._run("assert 'matplotlib' not in sys.modules, sorted(sys.modules)")
WarmKernelEngine._run(
    "import pandas as pd\\n"
    "from reviewlib.brief import charts\\n"
    "table = pd.DataFrame({'category': ['Prevention'], 'achievements': [2], 'gaps': [1]})\\n"
    "assert 'image/svg+xml' in charts.chart(table, 'A chart').markup\\n"
    "assert 'matplotlib.pyplot' in sys.modules"
)
process = WarmKernelEngine.km.provisioner.process
WarmKernelEngine.stop()
print(papermill_first, process.returncode is not None)
print(sorted({"IPython", "ipykernel"} & set(sys.modules)))  # (the kernel's, never the build's)
"""


def test_a_build_starts_its_kernel_before_it_imports_papermill(tmp_path):
    """A build with no kernel kept waits for the one it starts: that kernel is started before
    the build imports papermill or even jupyter_client (which it imports once the review is
    read), and the engine takes it over: it has imported what briefs use and runs a cell;
    matplotlib it imports only when it draws a chart (most are read back from the disk cache).
    Stopped, it is gone (its process waited for)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[[], []] True", "[]"]


def test_a_kernel_with_time_before_its_first_brief_imports_what_charts_use(tmp_path):
    """A kernel started with time to spare before its first brief (watch's, a worker's) imports
    matplotlib while it starts, with pandas and the briefs' code, so no brief pays for it."""
    WarmKernelEngine.start(tmp_path)
    try:
        WarmKernelEngine._run(
            "import sys\n"
            "assert {'pandas', 'matplotlib.pyplot', 'reviewlib.brief.sections'} <= set(sys.modules)"
        )
    finally:
        WarmKernelEngine.stop()


def test_the_kernels_a_build_starts_collect_as_rarely_as_the_build(tmp_path):
    """Both ways a build starts its briefs' kernel (at once, before it reads the review:
    `kernel.launch`; through jupyter_client, for workers and watch: `kernel.start`) set the
    kernel's collector as the build's own (`reviewlib.collector`) before the briefs' imports."""
    from reviewlib.brief import kernel
    from reviewlib.collector import THRESHOLDS

    check = f"import gc; assert gc.get_threshold() == {THRESHOLDS!r}, gc.get_threshold()"
    for start in (
        lambda: WarmKernelEngine.start(tmp_path),
        lambda: kernel.set_aside(kernel.launch(tmp_path)),  # taken over at once: runner imported
    ):
        start()
        try:
            WarmKernelEngine.join()
            WarmKernelEngine._run(check)
        finally:
            WarmKernelEngine.stop()


def test_the_kernels_a_build_starts_have_no_debugger_and_run_a_brief(tmp_path):
    """Both ways a build starts a kernel (`kernel.launch`; `kernel.start`, through
    jupyter_client) start ipykernel as its own launcher does, but with debugpy (what ipykernel
    imports to offer a debugger, a seventh of its start) marked absent: the kernel runs a
    brief's notebook all the same, and its process is still an ipykernel's."""
    import psutil

    from reviewlib.brief import kernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint(sys.modules.get('debugpy'))")]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    for start in (
        lambda: kernel.set_aside(kernel.launch(tmp_path)),  # taken over at once: runner imported
        lambda: WarmKernelEngine.start(tmp_path),
    ):
        start()
        try:
            WarmKernelEngine.join()
            pid = WarmKernelEngine.km.provisioner.pid  # (either provisioner has the pid)
            assert "ipykernel_launcher" in " ".join(psutil.Process(pid).cmdline())
            result = run_notebook(path, {}, timeout=60)
        finally:
            WarmKernelEngine.stop()
        assert result.ok, result.error
        assert result.notebook.cells[0].outputs[0]["text"] == "None\n"


# In the kernel: what it has read and readied, from the modules that keep it.
_READ = (
    "import reviewlib.gather.review as rv, reviewlib.ideas.pool as pl, reviewlib.scoring.scores as sc\n"
    "print(sorted(str(r.inputs_dir) for r in rv._CACHE.values()), len(sc._SCORED),"
    " pl._pool_of.cache_info().currsize)\n"
)


def _printed(code: str) -> str:
    """What `code` prints in the warm kernel."""
    from jupyter_core.utils import run_sync

    out: list[str] = []
    run_sync(WarmKernelEngine.kc.execute_interactive)(
        code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", ""))
    )
    return "".join(out)


def test_a_kernel_started_for_a_build_reads_the_review_as_it_starts(make_inputs, tmp_path):
    """The kernel a build starts at once (`kernel.launch`, with the inputs) reads the review and
    scores it as soon as it has imported, beside the build reading it, rather than once the
    build has forked the child writing the tables; the ideas, which the build pools, it reads
    later. A review it cannot read leaves it as it was, ready for the briefs (which say why)."""
    import shutil

    from reviewlib import paths
    from reviewlib.brief import kernel

    inputs = make_inputs()
    shutil.copy(paths.rubric_file(paths.INPUTS), paths.rubric_file(inputs))
    broken = tmp_path / "broken"
    shutil.copytree(inputs, broken)
    (broken / "review.yml").write_text("title: [not closed\n", encoding="utf-8")
    for folder, read in ((inputs, [str(inputs.resolve())]), (broken, [])):
        kernel.set_aside(kernel.launch(tmp_path, inputs=str(folder)))  # (taken over at once)
        try:
            WarmKernelEngine.join()
            printed = _printed(_READ)
        finally:
            WarmKernelEngine.stop()
        assert printed == f"{read} {len(read)} 0\n"


_LEFT = """
import sys
from pathlib import Path

from reviewlib.brief import kernel
from reviewlib.brief.kept import Keeper

try:
    with Keeper(Path(sys.argv[1]), Path(sys.argv[1]), 0) as keeper:
        keeper.launch()
        pid = kernel._SET_ASIDE[0].process.pid
        raise ValueError("a broken review.yml")  # the build ends before it imports the runner
except ValueError:
    pass
print(pid, kernel.waiting())
"""


def test_a_kernel_started_for_a_build_that_ends_before_using_it_is_stopped(tmp_path):
    """A build that started its kernel and then ended (a broken input file) before it took the
    kernel over stops it as it ends, not only once its process has gone."""
    import subprocess
    import sys

    from reviewlib.brief.lease import running

    done = subprocess.run(
        [sys.executable, "-c", _LEFT, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    pid, waiting = done.stdout.split()
    assert waiting == "False"
    assert not running(int(pid))


def test_a_kernel_heard_is_heard_at_once_after_its_channels_are_opened_again(tmp_path):
    """Once `join` (or `reconnect`, with channels opened anew) returns, what the kernel
    publishes reaches this process: the next cell's output is there."""
    from jupyter_core.utils import run_sync

    WarmKernelEngine.start(tmp_path)
    try:
        seen: list = []
        for _ in range(2):
            seen.clear()
            run_sync(WarmKernelEngine.kc.execute_interactive)(
                "print('heard')",
                timeout=60,
                output_hook=lambda msg: seen.append(msg["content"].get("text")),
            )
            assert "heard\n" in seen
            WarmKernelEngine.reconnect()
    finally:
        WarmKernelEngine.stop()
