"""A process kept ready for the next `reviewlib build`, with what a build imports imported.

A build after one new contribution or decision spends about a second starting Python and
importing pandas, papermill, nbconvert and the review's code before it reads a single file. As
a build keeps a warm kernel for the next one (`reviewlib.brief.kept`), it also leaves this
process behind: it has imported all that, primed the HTML exporter, and waits on a local socket
in its own private folder.

The next `reviewlib build` that has something to do hands itself over: it sends its arguments,
folder and environment, and its standard input, output and error themselves (the descriptors,
over the socket). The ready process forks a child, which becomes that build in every way the
user sees: it writes to the same terminal or pipe, runs in the same folder with the same
settings, and its exit status is the command's. Ctrl-C in the terminal reaches it (the command
passes it on). Each build runs in a fresh child, so nothing one build leaves in memory reaches
the next.

- Only a build of the same code, Python, libraries and REVIEWLIB_ settings hands itself over
  (the record's stamp, as for the kept kernel). Any other runs as before, and replaces the
  ready process at its end.
- The ready process runs apart (its own session; its output, a line per build, in builder.log
  beside its record in the private folder of the disk cache) and exits, removing its folder
  and record, when no build has used it for the time a kernel is kept
  (`--keep-kernel`, REVIEWLIB_KEEP_KERNEL; 0 keeps none and stops it), or when another has
  taken its place.
- The ready process knows nothing of the command line: the build that starts it names the
  function it runs a command with (`reviewlib.cli:main`), so that the house's stages stay in
  their order.
- Where a process cannot be forked or descriptors cannot be passed (anything but Linux), or
  when anything about the hand-over fails before the build started, the build runs in the
  command's own process, as it always could.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["ensure", "hand_over", "serve", "stop"]

_TICK = 1.0  # seconds between the ready process's looks at its record and its children
_STARTED = 10.0  # seconds a handed-over build may take to say it has started
_MOST = 4  # builds running at once in children of the ready process; more build on their own
_serving = False  # in a child of the ready process: this build was handed over


def _supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def _record() -> Path | None:
    from reviewlib.paths import private_folder

    folder = private_folder()
    return folder / "builder.json" if folder is not None else None


def _read(record: Path) -> dict | None:
    try:
        info = json.loads(record.read_text(encoding="utf-8"))
        return info if isinstance(info, dict) else None
    except (OSError, ValueError):
        return None


def _ours(info: dict) -> bool:
    """Whether the process a record names is still a ready process (its command line says so),
    not another given its number."""
    from reviewlib.brief import kept

    try:
        return kept._ours(int(info["pid"]), "reviewlib.brief.builder")
    except (KeyError, TypeError, ValueError):
        return False


def stamp() -> str:
    """What a ready process must share with the build it runs: Python, the libraries, the code
    (by its files' sizes and times, as a build with nothing to do sees it; reading it all would
    cost the command a third of a second) and every REVIEWLIB_ setting."""
    import hashlib

    from reviewlib.brief.fingerprint import setup
    from reviewlib.brief.kept import settings

    text = json.dumps([setup(), sys.executable, settings()])
    return hashlib.sha256(text.encode()).hexdigest()


def _fit(info: dict | None, now: str | None = None) -> bool:
    """Whether a record names a listening ready process of this stamp (`now`, else computed)."""
    if not info or not info.get("socket"):
        return False
    return info.get("stamp") == (now or stamp()) and _ours(info)


# --- the command's side ---------------------------------------------------------------------


def hand_over(argv: list[str]) -> int | None:
    """Have the ready process run this build (`argv`, the command's arguments); its exit
    status, or None when there is no fit ready process or the hand-over failed before the
    build started (the caller then builds here)."""
    if _serving or not _supported() or (record := _record()) is None:
        return None
    info = _read(record)
    if not _fit(info) or info.get("pid") == os.getppid():  # (never from its own child)
        return None
    with contextlib.suppress(OSError):
        os.utime(record)  # used now: its wait starts again
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(_STARTED)
        conn.connect(str(info["socket"]))
        with _descriptors() as fds:
            socket.send_fds(conn, [_request(argv)], fds)
        reply = conn.makefile("rb")
        started = reply.readline().split()
        if len(started) != 2 or started[0] != b"pid":
            conn.close()
            return None  # nothing ran: build here
        pid = int(started[1])
    except (OSError, ValueError, KeyError, TypeError):
        conn.close()  # (a child that had not said it started sees this, and stops)
        return None
    conn.settimeout(None)
    return _follow(reply, pid)


def _request(argv: list[str]) -> bytes:
    streams = {
        name: [getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None)]
        for name in ("stdin", "stdout", "stderr")
        if (stream := getattr(sys, name)) is not None
    }
    request = {
        "argv": list(argv),
        "argv0": sys.argv[0] if sys.argv else "reviewlib",
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "streams": streams,
    }
    return json.dumps(request).encode() + b"\n"


@contextlib.contextmanager
def _descriptors():
    """This process's standard input, output and error (/dev/null for one that is closed)."""
    opened = []
    fds = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            opened.append(os.open(os.devnull, os.O_RDWR))
            fds.append(opened[-1])
    try:
        yield fds
    finally:
        for fd in opened:
            os.close(fd)


def _follow(reply, pid: int) -> int:
    """Wait for the handed-over build's exit status, passing Ctrl-C and termination on."""

    def forward(signum, frame) -> None:
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    before = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        while True:
            try:
                line = reply.readline()
                break
            except InterruptedError:
                continue
    except OSError:
        line = b""
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
    words = line.split()
    if len(words) == 2 and words[0] == b"status":
        return int(words[1])
    print(
        "error: the process building this stopped before it finished (it was killed, or ran "
        "out of memory); run the command again",
        file=sys.stderr,
    )
    return 1


# --- keeping one ready ----------------------------------------------------------------------


def ensure(seconds: float, entry: str, warm: Sequence[str] = ()) -> None:
    """After a build: have a ready process for the next one, kept `seconds` after its last use
    (0: none, and the one kept stops), which runs a command handed to it with `entry`
    ("module:function", called with the command's arguments; its value is the exit status).
    One of other code, settings or entry is replaced. A process started here also calls `warm`
    ("module:function" and its arguments) before its first build and after each: what the
    next build would otherwise do first (see `serve`); one kept already goes on with its own."""
    if _serving or not _supported() or (record := _record()) is None:
        return
    if seconds <= 0:
        stop()
        return
    info, now = _read(record), stamp()
    if _fit(info, now) and info.get("seconds") == seconds and info.get("entry") == entry:
        with contextlib.suppress(OSError):
            os.utime(record)
        return
    if info and info.get("socket") is None and info.get("stamp") == now and _ours(info):
        return  # one is starting
    stop()
    log = open(record.with_suffix(".log"), "wb")  # noqa: SIM115 - handed to the process
    with log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reviewlib.brief.builder", repr(float(seconds)), entry, *warm],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # apart from the build: no terminal, no pipe of its own
            close_fds=True,
        )
    # starting: found by the next build, which then neither waits for it nor starts another
    starting = {"pid": process.pid, "socket": None, "stamp": now, "seconds": seconds}
    _write(record, {**starting, "entry": entry})


def stop() -> None:
    """Stop the ready process kept now, if any, and forget it."""
    if (record := _record()) is None:
        return
    info = _read(record)
    if info and _ours(info):
        with contextlib.suppress(OSError, KeyError, TypeError, ValueError):
            os.kill(int(info["pid"]), signal.SIGTERM)
    record.unlink(missing_ok=True)


def _write(record: Path, info: dict) -> None:
    """The record, readable by this account alone, replaced in one step."""
    temp = record.with_name(f"{record.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    os.replace(temp, record)


# --- the ready process ----------------------------------------------------------------------


_LIBRARIES = "reviewlib.ideas.pool:load_libraries"


def _ready(entry: str) -> Callable[[list[str]], int]:
    """Import what a build uses, and prime what it would prime (all a child then has); the
    function `entry` names."""
    import importlib

    import reviewlib.brief.aside
    import reviewlib.brief.build
    import reviewlib.brief.fingerprint
    import reviewlib.brief.index_page
    import reviewlib.brief.kept
    import reviewlib.brief.publish
    import reviewlib.brief.runner
    import reviewlib.brief.workers
    import reviewlib.gather.review
    import reviewlib.ideas.pool  # noqa: F401
    from reviewlib.brief.export import prime

    prime()
    for writer in ("xlsxwriter", "docx"):  # what the child writing the workbooks uses
        with contextlib.suppress(ImportError):
            importlib.import_module(writer)
    return _named(entry)


def _named(spec: str) -> Callable:
    """The function "module:function" names (its module imported)."""
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def serve(seconds: float, entry: str, warm: Sequence[str] = ()) -> None:
    """Be the ready process: wait for commands, each run by `entry` (see `ensure`) in a forked
    child, until none has come for `seconds` or another ready process has taken its place.
    `warm` is called before the first command and again after each has ended, while nothing
    waits: each child starts with what it left in memory (the rows of the files the last build
    parsed, read back from the disk cache)."""
    import tempfile

    record = _record()
    if record is None:
        return
    ours = stamp()  # before the code is imported: code changed since is never taken for it
    run = _ready(entry)
    refresh = _warmer(warm)
    # what pooling ideas loads (a second), for the builds that pool them again
    libraries = _warmer([_LIBRARIES])
    refresh()
    me = os.getpid()
    folder = tempfile.mkdtemp(prefix="reviewlib-builder-")
    where = os.path.join(folder, "socket")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    children: set[int] = set()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        listener.bind(where)
        listener.listen(16)
        listener.settimeout(_TICK)
        info = {"pid": me, "socket": where, "stamp": ours, "seconds": seconds, "entry": entry}
        _write(record, info)
        _log(f"ready (pid {me}), kept {seconds:g} s after the last build")
        idle_since, stale = time.monotonic(), False
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                conn = None
            stale = _reap(children) or stale
            if stale and not children and conn is None:  # (a command waiting goes first)
                refresh()  # what the builds just ended left, for the next one
                stale = False
            if libraries is not None and not children and conn is None:
                libraries()  # once, when first nothing waits
                libraries = None
            if conn is not None and len(children) >= _MOST:
                conn.close()  # the command builds in its own process instead
            elif conn is not None:
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    _child(conn, run)  # never returns
                children.add(pid)
                conn.close()
            if children:
                idle_since = time.monotonic()
                continue
            if (_read(record) or {}).get("pid") != me:
                _log("stopped: another ready process took its place, or a build stopped it")
                return
            with contextlib.suppress(OSError):
                idle_since = max(
                    idle_since, record.stat().st_mtime - time.time() + time.monotonic()
                )
            if time.monotonic() - idle_since >= seconds:
                _log(f"stopped: no build for {seconds:g} s")
                return
    finally:
        if os.getpid() == me:  # (a child leaves by os._exit, never through here)
            listener.close()
            if (_read(record) or {}).get("pid") == me:
                record.unlink(missing_ok=True)
            shutil.rmtree(folder, ignore_errors=True)


def _log(line: str) -> None:
    """One line in the ready process's log (its standard output: builder.log beside its record)."""
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}", flush=True)


def _warmer(warm: Sequence[str]) -> Callable[[], None]:
    """`warm` ("module:function", then its arguments) as a function of nothing, which logs
    its failure rather than stopping the ready process; nothing to do when `warm` is empty."""
    if not warm:
        return lambda: None

    def refresh() -> None:
        start = time.perf_counter()
        try:
            _named(warm[0])(*warm[1:])
        except Exception as exc:  # noqa: BLE001 - the next build does it itself
            _log(f"could not ready with {warm[0]}: {type(exc).__name__}: {exc}")
        else:
            _log(f"readied with {warm[0]} in {time.perf_counter() - start:.2f} s")

    return refresh


def _reap(children: set[int]) -> bool:
    """Forget the children that have ended (and let the system forget them too); whether any
    had."""
    ended = False
    for pid in list(children):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done == pid:
            children.discard(pid)
            ended = True
            _log(f"built (pid {pid}), exit status {os.waitstatus_to_exitcode(status)}")
    return ended


def _child(conn: socket.socket, run: Callable[[list[str]], int]) -> None:
    """In the forked child: become the handed-over build, then leave with its status."""
    global _serving
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        conn.settimeout(_STARTED)
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
        while not data.endswith(b"\n"):
            more = conn.recv(1 << 16)
            if not more:
                raise OSError("the command went away before it said what to build")
            data += more
        request = json.loads(data)
        if len(fds) != 3:
            raise OSError("the command did not pass its standard streams")
        conn.sendall(f"pid {os.getpid()}\n".encode())  # (fails if the command gave up)
        conn.settimeout(None)
        _log(f"building (pid {os.getpid()}): reviewlib {' '.join(request['argv'])}")
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _streams(request.get("streams") or {})
        sys.argv = [request.get("argv0") or "reviewlib", *request["argv"]]
        _serving = True
        status = _run(run, request["argv"])
    except KeyboardInterrupt:
        status = 130  # as a shell reports a command stopped by Ctrl-C
    except BaseException:  # noqa: BLE001 - whatever happens, the command hears of it
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(Exception):
            conn.sendall(f"status {status}\n".encode())
        os._exit(status)


def _streams(streams: dict) -> None:
    """Standard input, output and error as the command had them (now on descriptors 0-2)."""
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        encoding, errors = (streams.get(name) or ["utf-8", None])[:2]
        stream = open(  # noqa: SIM115 - the process's own streams, for its whole life
            fd,
            "r" if fd == 0 else "w",
            encoding=encoding,
            errors=errors,
            closefd=False,
            buffering=-1 if fd == 0 else 1,  # (1: each line as it is printed)
        )
        setattr(sys, name, stream)


def _run(run: Callable[[list[str]], int], argv: list[str]) -> int:
    """The command, as `reviewlib ARGV` runs it; its exit status."""
    try:
        status = run(argv)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=sys.stderr)
            status = 1
    return int(status or 0)


if __name__ == "__main__":
    # Run as the module the build imports, not as __main__: a second copy of this module would
    # have its own `_serving`, and a handed-over build would hand itself over again.
    from reviewlib.brief import builder
    from reviewlib.collector import collect_rarely, leave

    collect_rarely()  # (and so every build it runs, in a child forked from it)
    with contextlib.suppress(SystemExit):  # stopped by a build (SIGTERM; `serve` cleans up)
        builder.serve(float(sys.argv[1]), sys.argv[2], sys.argv[3:])
    leave()  # at once, beside the build that has just stopped it
