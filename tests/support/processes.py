"""Starting and stopping the programs tests run, and what happens where one is missing.

``unavailable(message)`` skips a test whose program or package is not installed here,
and fails it under CI (the ``CI`` environment variable, which the CI runner sets), where
everything must be installed. ``stop(process)`` ends a server a test started: SIGTERM,
then SIGKILL if it has not exited in time.
"""

from __future__ import annotations

import os
import subprocess
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    """Skip here, fail under CI: ``message`` says what is missing and how to install it."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL and wait again."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
