"""What the `cov` fixture hands a test: the running measurement, without coverage.py's API."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from ferrocov import _ferrocov

_DISABLE_VAR = _ferrocov.ENV["disable"]


class Measurement:
    """The measurement of this pytest process (the session, or one xdist worker of it).

    `data_file` is where the session's combined data ends up; `config_file` the configuration it
    was read from (None when there is none). `pause()`/`resume()` (or `with cov.paused():`) stop
    recording for a while, and keep processes started meanwhile unmeasured.
    """

    def __init__(self, data_file: str, config_file: str | None, shard_dir: str) -> None:
        self.data_file = data_file
        self.config_file = config_file
        self.shard_dir = shard_dir
        self._saved_disable: list[str | None] = []

    @property
    def is_measuring(self) -> bool:
        """True while lines are being recorded."""
        info = _ferrocov.status()
        return bool(info["active"]) and not info["paused"]

    def status(self) -> dict[str, Any]:
        """The tracer's own description: core, shard file, paused, and so on."""
        return dict(_ferrocov.status())

    def pause(self) -> None:
        self._saved_disable.append(os.environ.get(_DISABLE_VAR))
        os.environ[_DISABLE_VAR] = "1"
        _ferrocov.pause()

    def resume(self) -> None:
        _ferrocov.resume()
        previous = self._saved_disable.pop() if self._saved_disable else None
        if previous is None:
            os.environ.pop(_DISABLE_VAR, None)
        else:
            os.environ[_DISABLE_VAR] = previous

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def __repr__(self) -> str:
        return f"<ferrocov Measurement data_file={self.data_file!r}>"
