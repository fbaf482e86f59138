"""A function run in a forked child: its value and its error come back; a child that dies is
one clear sentence; the review's files written aside are the files written here."""

from __future__ import annotations

import os
import resource
import time

import pytest

from reviewlib.brief.aside import Aside, can_fork, in_child
from reviewlib.errors import InputError, ReviewlibError

pytestmark = pytest.mark.skipif(not can_fork(), reason="forking is used on Linux only")


def _pid_and(value):
    return os.getpid(), value


def test_the_value_comes_back_from_another_process():
    big = list(range(10_000))  # what the parent holds is there in the child, unpickled
    pid, value = in_child(_pid_and, big)
    assert pid != os.getpid() and value == big


def _refuse(message):
    raise InputError(message)


def test_the_childs_error_is_raised_here_with_its_sentence():
    with pytest.raises(InputError, match="review.yml 'as_of' is not a date"):
        in_child(_refuse, "review.yml 'as_of' is not a date")


def _die():
    os._exit(3)


def test_a_child_that_dies_is_one_sentence_with_its_exit_status():
    with pytest.raises(ReviewlibError, match=r"_die stopped in its own process \(exit status 3\)"):
        in_child(_die)


class _Odd(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a} and {b}")


def _raise_odd():
    raise _Odd("one", "two")


def test_an_error_that_cannot_be_rebuilt_here_still_says_what_it_was():
    with pytest.raises(ReviewlibError, match="_Odd: one and two"):
        in_child(_raise_odd)


def _a_lock():
    import threading

    return threading.Lock()


def test_a_value_that_cannot_travel_is_named():
    with pytest.raises(ReviewlibError, match="_a_lock gave what cannot travel"):
        in_child(_a_lock)


def _wait_for(path):
    for _ in range(600):
        if os.path.exists(path):
            return "seen"
        time.sleep(0.05)
    return "never"


def test_the_child_works_while_this_process_goes_on(tmp_path):
    """`Aside` returns as soon as the child is started: the child sees a file this process
    writes afterwards, before it asks for the result."""
    flag = tmp_path / "go"
    pending = Aside(_wait_for, str(flag))
    flag.write_text("")
    assert pending.result() == "seen"
    assert pending.result() == "seen"  # asked again: the same answer, nothing waited for


def test_at_work_says_whether_a_child_still_takes_a_core(tmp_path):
    """The second kernel of a build waits for the child writing the tables: `at_work` is true
    while a child has not answered, and false once it has (before its value is asked for)."""
    from reviewlib.brief.aside import at_work

    flag = tmp_path / "go"
    child = Aside(_wait_for, str(flag))
    assert at_work()
    flag.touch()
    deadline = time.monotonic() + 30
    while at_work() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not at_work() and child.finished()
    assert child.result() == "seen" and not at_work()


def _niceness_when(flag: str) -> int:
    _wait_for(flag)
    return os.getpriority(os.PRIO_PROCESS, 0)


def test_a_child_gives_way_and_runs_beside_this_process_again_where_allowed(tmp_path):
    """A child that gives way runs GIVING_WAY steps of niceness behind this process (a build's
    few briefs and their kernel first); `alongside` puts it back beside this process where the
    system lets a priority be raised again (a privileged account), and leaves it behind where
    not. A child that has answered is left alone."""
    from reviewlib.brief.aside import GIVING_WAY, alongside

    own = os.getpriority(os.PRIO_PROCESS, 0)
    behind = min(19, own + GIVING_WAY)
    flag = tmp_path / "go"
    child = Aside(_niceness_when, str(flag))
    child.give_way()
    flag.touch()
    assert behind > own and child.result() == behind

    back = tmp_path / "back"
    child = Aside(_niceness_when, str(back))
    child.give_way()
    alongside()
    back.touch()
    # raising a priority again: a privileged account's, or as far as RLIMIT_NICE lets (a
    # nice value down to 20 minus its limit; none by default)
    limit = resource.getrlimit(resource.RLIMIT_NICE)[0]
    allowed = os.geteuid() == 0 or limit == resource.RLIM_INFINITY or 20 - limit <= own
    assert child.result() == (own if allowed else behind)
    child.give_way()  # answered: nothing to do, no error
