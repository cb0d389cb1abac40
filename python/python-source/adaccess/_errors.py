"""Errors raised by adaccess: a stable ``code`` and the ``path`` of the bad value."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional


class AdaccessError(Exception):
    """Base class of every adaccess error.

    Attributes:
        code: a stable dot-case code (``input.invalid``, ``profile.invalid``...).
        path: where the bad value sits in its document (``after.assignments[2].role``), if known.
        problems: every problem found, for errors that collect several (profile checks).
    """

    code: str
    path: Optional[str]
    problems: List[Dict[str, Any]]

    def __init__(
        self,
        message: str,
        code: str = "internal",
        path: Optional[str] = None,
        problems: str = "[]",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.problems = json.loads(problems) if isinstance(problems, str) else list(problems)

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path and self.path not in self.message else ""
        return f"{self.message}{where} [{self.code}]"


class ProfileError(AdaccessError):
    """A profile could not be loaded: unknown id, bad JSON, or failed checks (see ``problems``)."""


class InputError(AdaccessError):
    """An input document (user, change, directory, export) is unusable; ``path`` names the value."""
