"""Processes and folders a run starts, and how they end with it, however it ends.

* **Pool workers** ask the kernel to SIGKILL them when the process that started them dies
  (``prctl(PR_SET_PDEATHSIG)``, Linux): a run killed with ``kill -9`` (what the out-of-memory killer
  does) leaves no worker computing for nobody. They ignore SIGINT: Ctrl-C at a terminal reaches the
  whole process group, and the run itself stops them (no traceback from each worker).
* **Kernels** end with the process that started them: jupyter_client starts each with
  ``JPY_PARENT_PID`` set, and ipykernel's parent poller exits the kernel within a second of that
  process's death; a worker stopped by the run (SIGTERM) kills its kernel first.
* **Kernel folders.** A warm kernel's IPC sockets and connection file live in one temporary folder
  named after the process that owns the kernel, ``inventory-kernel-<pid>-…``; the run removes its
  workers' folders when it ends, and every run removes the folders of processes that no longer
  exist (a run or worker that was killed).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["KERNEL_FOLDER_PREFIX", "adopt", "die_with_parent", "kernel_folder", "remove_kernel_folders",
           "remove_orphaned_kernel_folders"]

KERNEL_FOLDER_PREFIX = "inventory-kernel-"
_PR_SET_PDEATHSIG = 1
_OWNER = re.compile(re.escape(KERNEL_FOLDER_PREFIX) + r"(\d+)-")


#: the kernels this process started (their process groups are stopped with it)
_KERNELS: set[int] = set()


def adopt(kernel_pid: int) -> None:
    """Record a kernel this process started: a worker stopped by the run (SIGTERM) stops it first."""
    _KERNELS.add(kernel_pid)


def _stat(path: Path) -> list[str]:
    """The fields of a ``/proc/<pid>/stat`` after the command name (state, parent id, ...); none if
    the process ended meanwhile or there is no /proc (not Linux)."""
    try:
        # the command name (2nd field) is in parentheses and may hold spaces: split after it
        return path.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _children() -> set[int]:
    """The processes this one started and that still run (Linux: from /proc; elsewhere none)."""
    me = str(os.getpid())
    return {int(path.parent.name) for path in Path("/proc").glob("[0-9]*/stat") if _stat(path)[1:2] == [me]}


def _stop_kernels_and_exit(signum, frame) -> None:
    """A worker's SIGTERM (the run is stopping): kill its kernels' process groups at once (they would
    otherwise notice the worker's death a second later and, meanwhile, still write into their
    folder), then end without unwinding. A kernel still starting (its process runs, but jupyter_client
    has not yet returned it to be adopted) is found among this process's children."""
    for pid in _KERNELS | _children():
        try:
            os.killpg(pid, signal.SIGKILL)  # jupyter_client starts each kernel in a session of its own
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    os._exit(128 + signum)


def die_with_parent(parent: int) -> None:
    """Pool initializer: be killed (SIGKILL) when the process that started this one dies; stop the
    kernels with this worker on SIGTERM; leave SIGINT to the run. ``parent``: that process's id (it
    may already be gone when this runs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_kernels_and_exit)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def kernel_folder() -> str:
    """A new private folder for a kernel of this process (its sockets and connection file)."""
    return tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-")


def _folders() -> list[tuple[int, Path]]:
    found = []
    for path in Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*"):
        owner = _OWNER.match(path.name)
        if owner and path.is_dir():
            found.append((int(owner.group(1)), path))
    return found


def _remove(folders: list[Path], attempts: int = 20) -> None:
    """Remove ``folders``. A kernel killed a moment ago may still finish a file operation in its folder
    while it is being removed: the removal is tried again (every 0.05 s, ``attempts`` times) until the
    folders are gone."""
    for _ in range(attempts):
        for path in folders:
            shutil.rmtree(path, ignore_errors=True)
        folders = [path for path in folders if path.exists()]
        if not folders:
            return
        time.sleep(0.05)


def remove_kernel_folders(owners: set[int]) -> None:
    """Remove the kernel folders of the processes ``owners`` (which are stopped)."""
    _remove([path for owner, path in _folders() if owner in owners])


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs. A zombie (ended, not yet reaped: a killed run's workers
    are reparented to a process that may never reap them, as PID 1 of many containers) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return _stat(Path(f"/proc/{pid}/stat"))[:1] not in (["Z"], ["X"])


def remove_orphaned_kernel_folders() -> None:
    """Remove the kernel folders whose owner process no longer exists (a killed run or worker)."""
    _remove([path for owner, path in _folders() if not _alive(owner)])
