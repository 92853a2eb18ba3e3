"""`lianxi ARGS` run inside the test process: the same `server.cli.main` a process would run, without ~1 s of imports.

Use it wherever the process boundary is not what a test is about; tests of exit codes as a shell
sees them, of `make demo` and of signals keep starting real processes.

The command runs in its own thread, so it gets its own event loop (`asyncio.run`) and its own
tortoise context, as a separate process would, even when the calling test is itself async and
has the ORM open on the same database. While it runs, the calling thread waits and the process's
environment, working directory and standard streams are the command's; all are restored after.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, overload

from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.cli import main

_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def _process_state(env: Mapping[str, str], cwd: Path | str | None, stdin: bytes) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """The environment, working directory and streams of a command run; everything is put back afterwards."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    os.environ.clear()
    os.environ.update(env)
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _exit_code(exit: SystemExit) -> int:
    """What the interpreter would exit with for this SystemExit (a message is printed on stderr, code 1)."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    print(exit.code, file=sys.stderr)
    return 1


def _run(args: list[str]) -> int:
    EXECUTOR_CACHE.clear()  # a new process starts without tortoise's SQL cache, which is keyed by connection name, not dialect
    try:
        return main(args)
    except SystemExit as exit:
        return _exit_code(exit)
    except BaseException:  # an uncaught exception: the traceback on stderr and status 1, as `python -m` gives
        traceback.print_exc()
        return 1
    finally:
        EXECUTOR_CACHE.clear()


@overload
def run_cli(*args: str, env: Mapping[str, str] | None = ..., cwd: Path | str | None = ..., stdin: bytes = ...,
            text: Literal[True]) -> subprocess.CompletedProcess[str]: ...
@overload
def run_cli(*args: str, env: Mapping[str, str] | None = ..., cwd: Path | str | None = ..., stdin: bytes = ...,
            text: Literal[False] = ...) -> subprocess.CompletedProcess[bytes]: ...
def run_cli(*args: str, env: Mapping[str, str] | None = None, cwd: Path | str | None = None, stdin: bytes = b"",
            text: bool = False) -> subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes]:
    """Run `lianxi ARGS` with exactly the environment `env` (default: this process's); returns what `subprocess.run` would."""
    environment = dict(os.environ if env is None else env)
    outcome: dict[str, int] = {}
    with _ONE_AT_A_TIME, _process_state(environment, cwd, stdin) as (out, err):
        thread = threading.Thread(target=lambda: outcome.setdefault("code", _run(list(args))), name="lianxi-cli")
        thread.start()
        thread.join()
        stdout, stderr = out.buffer.getvalue(), err.buffer.getvalue()  # type: ignore[attr-defined]
    command = ["lianxi", *args]
    if text:
        return subprocess.CompletedProcess(command, outcome["code"], stdout.decode(), stderr.decode())
    return subprocess.CompletedProcess(command, outcome["code"], stdout, stderr)
