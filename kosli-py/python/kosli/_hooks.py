"""Calling the user's ``on_delivery_failure`` callback from the SDK's own threads.

The native module calls :func:`call_failure_hook` on a thread of the SDK (never the thread that
made the call, which waits for it without the GIL), with the GIL taken. What the callback raises
is logged on the ``kosli`` logger and goes no further: a broken alert must not break the write
(which is safe in the journal) or the process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kosli._records import DeliveryFailure, SnapshotTick

__all__ = ["call_failure_hook", "call_tick_hook"]

_log = logging.getLogger("kosli")


def call_failure_hook(callback: Callable[[DeliveryFailure], object], failure: DeliveryFailure) -> None:
    """Calls ``callback(failure)``; logs (never raises) what it raises."""
    try:
        callback(failure)
    except BaseException:  # noqa: BLE001 - even SystemExit must not unwind the SDK's thread
        _log.exception(
            "the on_delivery_failure callback %r raised while handling record %s (%s to %s)",
            callback,
            failure.id,
            failure.operation,
            failure.host,
        )


def call_tick_hook(callback: Callable[[SnapshotTick], object], tick: SnapshotTick) -> None:
    """Calls a snapshot loop's ``on_tick(tick)``; logs (never raises) what it raises: the
    loop goes on."""
    try:
        callback(tick)
    except BaseException:  # noqa: BLE001 - the loop's thread must not unwind
        _log.exception("the on_tick callback %r raised on tick %d", callback, tick.number)
