"""adaccess: the access-rules engine for advertising platforms.

Validate users, explain who can do what, assess a change before it is saved, and review
a whole seat's export — with the same answers as the Rust core, the CLI and the npm package.

    >>> import adaccess
    >>> engine = adaccess.Engine.builtin("dv360")
    >>> user = {"id": "u-1", "email": "ana@agency.example",
    ...         "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "standard"}]}
    >>> engine.validate_user(user)["ok"]
    True
    >>> engine.can(user, "billing", "read", {"level": "partner", "id": "1"})["allowed"]
    False
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _adaccess
from ._errors import AdaccessError, InputError, ProfileError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "AdaccessError",
    "Engine",
    "InputError",
    "ProfileError",
    "Report",
    "codes",
    "profiles",
    "__version__",
]
__version__: str = _adaccess.__version__

Document = Mapping[str, Any]


def _default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumps(value: Any, what: str) -> str:
    try:
        return _json.dumps(value, default=_default, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InputError(f"{what} cannot be read: {e}", "input.invalid", what) from None


def _loads(text: str) -> Any:
    return _json.loads(text)


class Report(Dict[str, Any]):
    """An access review: a dict with ``users``, ``findings`` and ``summary`` (the JSON shape)."""

    @property
    def findings(self) -> List[Dict[str, Any]]:
        """The findings, sorted by severity, code and path."""
        return self["findings"]  # type: ignore[no-any-return]

    def findings_frame(self) -> "pandas.DataFrame":
        """The findings as a pandas DataFrame: one row per finding (needs ``adaccess[pandas]``)."""
        import pandas as pd

        columns = ["severity", "code", "user", "path", "message", "help"]
        rows = [{c: f.get(c) for c in columns} for f in self["findings"]]
        return pd.DataFrame(rows, columns=columns)

    def summary_frame(self) -> "pandas.DataFrame":
        """Counts by code with their severity (needs ``adaccess[pandas]``)."""
        import pandas as pd

        severity = {f["code"]: f["severity"] for f in self["findings"]}
        rows = [
            {"code": code, "severity": severity.get(code), "count": n}
            for code, n in self["summary"]["by_code"].items()
        ]
        return pd.DataFrame(rows, columns=["code", "severity", "count"])


class Engine:
    """A checked profile and, optionally, the seat's directory (``{"entities": [...]}``)."""

    __slots__ = ("_inner",)

    def __init__(self, profile: Document, directory: Optional[Document] = None) -> None:
        """An engine for a profile document (a dict), e.g. one that ``extends`` a built-in."""
        self._inner = _adaccess.Engine(
            _dumps(profile, "profile"), None if directory is None else _dumps(directory, "directory")
        )

    @classmethod
    def builtin(cls, id: str, directory: Optional[Document] = None) -> "Engine":
        """An engine for a built-in profile: ``"dv360"`` or ``"mediamath"``."""
        engine = cls.__new__(cls)
        engine._inner = _adaccess.Engine.builtin(
            id, None if directory is None else _dumps(directory, "directory")
        )
        return engine

    def profile(self) -> Dict[str, Any]:
        """The profile document in force (with ``extends`` resolved)."""
        return _loads(self._inner.profile())  # type: ignore[no-any-return]

    def validate_user(self, user: Document) -> Dict[str, Any]:
        """Is this user's access valid? ``{"ok": bool, "findings": [...]}``."""
        return _loads(self._inner.validate_user(_dumps(user, "user")))  # type: ignore[no-any-return]

    def effective(self, user: Document) -> List[Dict[str, Any]]:
        """The permission matrix: one row per covered entity, a column per capability."""
        return _loads(self._inner.effective(_dumps(user, "user")))  # type: ignore[no-any-return]

    def can(self, user: Document, capability: str, level: str, entity: Document) -> Dict[str, Any]:
        """Can the user do ``capability`` at ``level`` on ``entity``? ``{"allowed", "because", ...}``."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.can(_dumps(user, "user"), capability, level, _dumps(entity, "entity"))
        )

    def can_many(self, user: Document, requests: Iterable[Document]) -> List[Dict[str, Any]]:
        """Many decisions for one user; each request is ``{"capability", "level", "entity"}``.

        Runs without the GIL.
        """
        return _loads(  # type: ignore[no-any-return]
            self._inner.can_many(_dumps(user, "user"), _dumps(list(requests), "requests"))
        )

    def who_can(
        self, users: Sequence[Document], capability: str, level: str, entity: Document
    ) -> List[Dict[str, Any]]:
        """Every user who can, each with the reason."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.who_can(_dumps(list(users), "users"), capability, level, _dumps(entity, "entity"))
        )

    def redact(self, user: Document, entity: Document, record: Document) -> Dict[str, Any]:
        """The record as the user may see it on the entity: cost fields read "No access"."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.redact(_dumps(user, "user"), _dumps(entity, "entity"), _dumps(record, "record"))
        )

    def assess(self, change: Document) -> Dict[str, Any]:
        """Assesses a proposed change: findings, approvals, plan, log entry, platform requests."""
        return _loads(self._inner.assess(_dumps(change, "change")))  # type: ignore[no-any-return]

    def audit(
        self,
        users: Sequence[Document],
        *,
        now: Union[str, _dt.date, None] = None,
        activity: Optional[Sequence[Document]] = None,
        dormant_days: Optional[int] = None,
    ) -> Report:
        """Reviews every user of a seat. Runs without the GIL."""
        options: Dict[str, Any] = {}
        if now is not None:
            options["now"] = now
        if activity is not None:
            options["activity"] = list(activity)
        if dormant_days is not None:
            options["dormant_days"] = dormant_days
        text = self._inner.audit(_dumps(list(users), "users"), _dumps(options, "options"))
        return Report(_loads(text))

    def matrix_frame(self, users: Sequence[Document]) -> "pandas.DataFrame":
        """One row per user × entity, a column per capability (needs ``adaccess[pandas]``)."""
        import pandas as pd

        capabilities = [c["id"] for c in self.profile()["capabilities"]]
        rows = []
        for user in users:
            for row in self.effective(user):
                rows.append(
                    {
                        "user": user.get("id"),
                        "entity": f'{row["entity"]["level"]}:{row["entity"]["id"]}',
                        "roles": ", ".join(row["roles"]),
                        "inherited_from": None
                        if row.get("inherited_from") is None
                        else f'{row["inherited_from"]["level"]}:{row["inherited_from"]["id"]}',
                        **{c: row["access"].get(c) for c in capabilities},
                    }
                )
        return pd.DataFrame(rows, columns=["user", "entity", "roles", "inherited_from", *capabilities])


def profiles() -> List[str]:
    """The ids of the built-in profiles."""
    return list(_adaccess.profiles())


def codes() -> List[Dict[str, Any]]:
    """Every finding code with its default severity, source and description."""
    return _loads(_adaccess.codes())  # type: ignore[no-any-return]
