"""Garbage-collector policy for the large, long-lived data of one command.

A project of 10^6 leads is some 10^7 objects that live until the command ends (the loaded
files, then the live state read for the plan). Python's cyclic collector would walk all of
them again and again while they are built, for nothing: none of them form cycles that need
it. So they are built with the collector paused and then frozen out of its sight.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Pause the collector while the block builds data that lives until the command ends,
    then move everything alive into the permanent generation (`gc.freeze`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
