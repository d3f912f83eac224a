"""Builds that go wrong on purpose, shared by tests/build and tests/e2e."""

KILL_MID_WRITE = """
import os, signal, sys
import iprkg.build.publish
from iprkg.cli.main import main

real_write_file = iprkg.build.publish.write_file
count = 0

def write_then_die(path, content):
    global count
    count += 1
    if count == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    real_write_file(path, content)

iprkg.build.publish.write_file = write_then_die
sys.argv = ["iprkg", "build"]
main()
"""
"""Python for ``python -c``: ``iprkg build`` that kills itself (SIGKILL) at its third file."""
