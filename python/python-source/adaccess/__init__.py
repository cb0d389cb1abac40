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

Exports (a DV360 ``users.list`` response, a CSV, a MediaMath T1 permissions document or a
JSON array of users) are read by :func:`read_export`, :func:`read_dv360_users` and
:func:`read_csv`, or reviewed in one call, without handing the users to Python, by
:meth:`Engine.audit_export`.

The access log is a JSON Lines file, each line a change's log entry chained to the line
before by its SHA-256: :meth:`Engine.append_log` appends a saved change's entry (or refuses a
change with an error finding), :meth:`Engine.log_entry` gives the entry without writing it,
and :func:`verify_log` finds the first line where the chain breaks. :meth:`Engine.drift`
compares two exports of a seat, and :meth:`Engine.reconcile` says whether the log explains
what changed between them (a :class:`Reconciliation`).

A form editing a user keeps the change in a :class:`Draft` (:meth:`Engine.draft`): each edit
is small, and :meth:`Draft.check` answers as :meth:`Engine.assess` would for the change as it
stands.

Many seats (one export each) are reviewed in one call by :func:`audit_seats`, in parallel on
every core, and on a Dask cluster by :func:`adaccess.dask.audit_seats` (``pip install
'adaccess[dask]'``); :func:`find_seats` lists the seats a folder, a manifest or a pattern
names.
"""

from __future__ import annotations

import datetime as _dt
import functools as _functools
import gc as _gc
import json as _json
import os as _os
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _adaccess
from ._errors import AdaccessError, InputError, ProfileError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "AdaccessError",
    "Draft",
    "Engine",
    "User",
    "InputError",
    "ProfileError",
    "Reconciliation",
    "Report",
    "SeatsReport",
    "audit_seats",
    "codes",
    "find_seats",
    "profiles",
    "read_csv",
    "read_dv360_users",
    "read_export",
    "verify_log",
    "__version__",
]
__version__: str = _adaccess.__version__

Document = Mapping[str, Any]
"""A JSON object as a dict (a user, a change, a profile, a directory...)."""

ExportSource = Union[
    str,
    _os.PathLike[str],
    bytes,
    bytearray,
    memoryview,
    Mapping[str, Any],
    Sequence[Any],
    IO[bytes],
    IO[str],
]
"""An export: a file path (``str`` or ``os.PathLike``), its content as bytes, a parsed JSON
document (a dict, or a list of pages or users), or an open file."""

Date = Union[str, _dt.date]
"""A date: a ``datetime.date``, a timezone-aware ``datetime`` or an RFC 3339 / ``YYYY-MM-DD``
string."""

LogFile = Union[str, _os.PathLike[str], bytes, bytearray, memoryview, IO[bytes], IO[str]]
"""An access log's text as it is stored: a file path (a ``str`` is always a path), its
bytes, or an open file."""

LogSource = Union[LogFile, Sequence[Mapping[str, Any]]]
"""An access log: as stored (:data:`LogFile`), or its entries as a list of dicts."""


def _default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumps(value: Any, what: str) -> str:
    try:
        return _json.dumps(value, default=_default, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InputError(f"{what} cannot be read: {e}", "input.invalid", what) from None
    except RecursionError:
        # json.dumps recurses once per level: a value nested thousands deep is not a document.
        raise InputError(
            f"{what} cannot be read: nested too deeply to be JSON", "input.invalid", what
        ) from None


def _loads(text: str) -> Any:
    # A large result (a seat's users, a Report) becomes millions of dicts and lists; each
    # allocation counts towards the cyclic collector's thresholds, which then re-walks the
    # growing tree again and again. json.loads makes no cycles, so the collector is paused:
    # 4x faster for the 100k-user export.
    if len(text) < 1 << 16 or not _gc.isenabled():
        return _json.loads(text)
    _gc.disable()
    try:
        return _json.loads(text)
    finally:
        _gc.enable()


def _source(source: Any, what: str = "export") -> Union[str, bytes]:
    """What the compiled core takes: a path (read there, without the GIL) or the bytes."""
    if isinstance(source, str):
        return source
    if isinstance(source, _os.PathLike):
        path = _os.fspath(source)
        return path if isinstance(path, str) else _os.fsdecode(path)
    if isinstance(source, bytes):
        return source
    if isinstance(source, (bytearray, memoryview)):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if isinstance(source, (Mapping, list, tuple)):
        return _dumps(source, what).encode("utf-8")
    raise TypeError(
        f"{what} must be a file path, bytes, a parsed JSON document or an open file, "
        f"not {type(source).__name__}"
    )


def _text_source(source: Any, what: str) -> Union[str, bytes]:
    """A file kept as it is stored (an access log): a path, or the bytes."""
    if isinstance(source, (Mapping, list, tuple)):
        raise TypeError(
            f"{what} must be a file path, bytes or an open file, not {type(source).__name__}"
        )
    return _source(source, what)


def _log_source(log: Any) -> Union[str, bytes]:
    """An access log for the core: a path or bytes as they are, a list of entries written as
    JSON Lines (one compact line per entry)."""
    if isinstance(log, (list, tuple)):
        lines = []
        for n, entry in enumerate(log, start=1):
            try:
                line = _json.dumps(entry, default=_default, ensure_ascii=False, separators=(",", ":"))
            except (TypeError, ValueError, RecursionError) as e:
                message = "nested too deeply to be JSON" if isinstance(e, RecursionError) else str(e)
                raise InputError(
                    f"the access log's entry {n} cannot be read: {message}", "log.line", f"line[{n}]"
                ) from None
            lines.append(line + "\n")
        return "".join(lines).encode("utf-8")
    return _text_source(log, "log")


def _date(value: Optional[Date], what: str) -> Optional[str]:
    """A date as JSON text for the core, which reads and checks it."""
    return None if value is None else _dumps(value, what)


@_functools.lru_cache(maxsize=None)
def _builtin(id: str) -> _adaccess.Engine:
    return _adaccess.Engine.builtin(id)


def _core(profile: Union[str, "Engine", Document]) -> _adaccess.Engine:
    """The compiled engine for a built-in id, an :class:`Engine` or a profile document."""
    if isinstance(profile, Engine):
        return profile._inner
    if isinstance(profile, str):
        return _builtin(profile)
    return _adaccess.Engine(_dumps(profile, "profile"))


def _audit_options(
    now: Union[str, _dt.date, None],
    activity: Optional[Sequence[Document]],
    dormant_days: Optional[int],
) -> Dict[str, Any]:
    """The options document of an audit, with only what was given."""
    options: Dict[str, Any] = {}
    if now is not None:
        options["now"] = now
    if activity is not None:
        options["activity"] = list(activity)
    if dormant_days is not None:
        options["dormant_days"] = dormant_days
    return options


class _Findings(Dict[str, Any]):
    """An answer with ``findings`` and a ``summary`` counting them ``by_code``: the frames of
    :class:`Report` and :class:`Reconciliation`."""

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


class Report(_Findings):
    """An access review: a dict with ``users``, ``findings`` and ``summary`` (the JSON shape)."""


class Reconciliation(_Findings):
    """Whether the access log explains what changed between two exports: a dict with
    ``summary`` (changes, explained, entries, entries_in_window, by_code, by_severity),
    ``findings`` (``reconcile.unlogged``, ``reconcile.unapproved``, ``reconcile.not_applied``,
    and the new export's expired elevations and orphaned tokens; paths ``old[i]``/``new[i]``
    name users of the exports, ``line[n]`` a line of the log), ``drift`` (the counts of users
    added, removed, changed and unchanged) and ``changes`` (each drifted user with the log
    lines about it and whether they explain its change; the changes themselves, assessed,
    are :meth:`Engine.drift`'s)."""


class SeatsReport(Dict[str, Any]):
    """The access review of many seats: a dict with ``seats`` (each ``{"seat", "export",
    "format", "profile", "report"}``, ``report`` as :class:`Report`'s), ``failed`` (each
    ``{"seat", "file", "error": {"code", "message", "path"?}}``: a seat whose export, directory
    or profile could not be read) and ``summary`` (``seats``, ``failed``, ``users``,
    ``by_severity``, ``by_code`` over every seat, and ``rows``, one per seat)."""

    @property
    def reports(self) -> Dict[str, Report]:
        """Each seat's :class:`Report`, by seat name."""
        return {s["seat"]: Report(s["report"]) for s in self["seats"]}

    @property
    def failed(self) -> List[Dict[str, Any]]:
        """The seats that could not be reviewed, with their error."""
        return self["failed"]  # type: ignore[no-any-return]

    def findings_frame(self) -> "pandas.DataFrame":
        """Every seat's findings as one pandas DataFrame, ``seat`` first (needs
        ``adaccess[pandas]``)."""
        import pandas as pd

        columns = ["seat", "severity", "code", "user", "path", "message", "help"]
        rows = [
            {"seat": s["seat"], **{c: f.get(c) for c in columns[1:]}}
            for s in self["seats"]
            for f in s["report"]["findings"]
        ]
        return pd.DataFrame(rows, columns=columns)

    def summary_frame(self) -> "pandas.DataFrame":
        """One row per seat reviewed: its format, profile, users and findings by severity
        (needs ``adaccess[pandas]``)."""
        import pandas as pd

        severities = ["error", "security", "warning", "info"]
        columns = ["seat", "format", "profile", "users", *severities]
        rows = [
            {
                "seat": r["seat"],
                "format": r["format"],
                "profile": r["profile"],
                "users": r["users"],
                **{s: r["by_severity"].get(s, 0) for s in severities},
            }
            for r in self["summary"]["rows"]
        ]
        return pd.DataFrame(rows, columns=columns)


Sources = Union[str, "_os.PathLike[str]", Sequence[Union[str, "_os.PathLike[str]", Document]]]
"""Seats: a file, a folder (with or without a ``seats.json`` manifest), a manifest, a glob
pattern, or a list of them; or seats as :func:`find_seats` lists them."""


def _paths(sources: Any) -> List[str]:
    if isinstance(sources, (str, _os.PathLike)):
        sources = [sources]
    out = []
    for s in sources:
        if not isinstance(s, (str, _os.PathLike)):
            raise TypeError(f"a seat source must be a path, not {type(s).__name__}")
        path = _os.fspath(s)
        out.append(path if isinstance(path, str) else _os.fsdecode(path))
    return out


def find_seats(sources: Sources) -> List[Dict[str, Any]]:
    """The seats the sources name, each ``{"seat", "export", "directory"?, "profile"?}`` with
    absolute paths (so that workers elsewhere can read them, given the same file system).

    A file is one seat named by its stem, with ``STEM.directory.json`` beside it as its
    directory when that file exists; a folder holds the seats of its ``seats.json`` manifest
    (``{"seats": [{"seat"?, "export", "directory"?, "profile"?}]}``) or, without one, every
    ``*.json`` and ``*.csv`` in it; a pattern (``exports/*.json``) is expanded.

    Raises ``InputError`` (``seats.not_found``, ``seats.manifest`` with the path of the bad
    value, ``seats.duplicate``).
    """
    if isinstance(sources, Sequence) and not isinstance(sources, str) and any(
        isinstance(s, Mapping) for s in sources
    ):
        return [dict(s) for s in sources]  # type: ignore[arg-type]
    seats: List[Dict[str, Any]] = _loads(_adaccess.find_seats(_paths(sources)))
    for seat in seats:
        for key in ("export", "directory"):
            if seat.get(key) is not None:
                seat[key] = _os.path.abspath(seat[key])
        profile = seat.get("profile")
        if profile is not None and profile not in _adaccess.profiles():
            seat["profile"] = _os.path.abspath(profile)
    return seats


def audit_seats(
    sources: Sources,
    *,
    profile: Union[str, "Engine", Document, None] = None,
    now: Union[str, _dt.date, None] = None,
    activity: Optional[Sequence[Document]] = None,
    dormant_days: Optional[int] = None,
) -> SeatsReport:
    """Reviews many seats in parallel on every core, reading each export as a stream, without
    the GIL: a :class:`SeatsReport` (``findings_frame()`` has a ``seat`` column).

    ``sources`` as for :func:`find_seats`, or its answer. A seat's profile is ``profile`` when
    given (a built-in id, an :class:`Engine` — only its profile is used — or a profile
    document), else its manifest's, else the one its export's format implies (``mediamath``
    for a T1 permissions export, ``dv360`` otherwise). Options as for :meth:`Engine.audit`.
    A seat that cannot be read is listed in ``failed``, and the others are still reviewed.
    """
    seats = find_seats(sources)
    options = _audit_options(now, activity, dormant_days)
    core = None if profile is None else _core(profile)
    text = _adaccess.audit_seats(_dumps(seats, "seats"), core, _dumps(options, "options"))
    return SeatsReport(_loads(text))


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
        # The entity crosses as a dict and the decision comes back as one (BENCHMARKS.md,
        # "Crossings"); the user as JSON text.
        return self._inner.can_direct(_dumps(user, "user"), capability, level, entity)  # type: ignore[no-any-return]

    def user(self, user: Document) -> "User":
        """Resolves a user once, for many questions about it: ``engine.user(doc).can(...)``
        answers as ``engine.can(doc, ...)`` does, without reading the user again."""
        prepared = User.__new__(User)
        prepared._inner = self._inner.user(_dumps(user, "user"))
        return prepared

    def can_many(self, user: Document, requests: Iterable[Document]) -> List[Dict[str, Any]]:
        """Many decisions for one user; each request is ``{"capability", "level", "entity"}``.

        Runs without the GIL.
        """
        return _loads(  # type: ignore[no-any-return]
            self._inner.can_many(_dumps(user, "user"), _dumps(list(requests), "requests"))
        )

    def allows_many(self, user: Document, requests: Iterable[Document]) -> List[bool]:
        """The answers only (``allowed``) to many decisions for one user, in order: the fast
        batch for large checks. Each request is ``{"capability", "level", "entity"}``, as for
        :meth:`can_many`. Runs without the GIL."""
        return self._inner.allows_many(_dumps(user, "user"), _request_rows(requests))  # type: ignore[no-any-return]

    def who_can(
        self, users: Sequence[Document], capability: str, level: str, entity: Document
    ) -> List[Dict[str, Any]]:
        """Every user who can, each with the reason."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.who_can(_dumps(list(users), "users"), capability, level, _dumps(entity, "entity"))
        )

    def who_can_among(
        self, users: Sequence["User"], capability: str, level: str, entity: Document
    ) -> List[Dict[str, Any]]:
        """:meth:`who_can` over prepared users (from :meth:`user`)."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.who_can_among([u._inner for u in users], capability, level, entity)
        )

    def redact(self, user: Document, entity: Document, record: Document) -> Dict[str, Any]:
        """The record as the user may see it on the entity: cost fields read "No access"."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.redact(_dumps(user, "user"), _dumps(entity, "entity"), _dumps(record, "record"))
        )

    def assess(self, change: Document, *, effective: str = "all") -> Dict[str, Any]:
        """Assesses a proposed change: findings, approvals, plan, log entry, platform requests.

        ``effective`` chooses the matrix rows returned: ``"all"``, ``"changed"`` or ``"none"``.
        """
        options = _dumps({"effective": effective}, "options")
        return _loads(self._inner.assess(_dumps(change, "change"), options))  # type: ignore[no-any-return]

    def draft(self, change: Document) -> "Draft":
        """Starts a :class:`Draft` of a change: the change stays in the compiled core, and
        each edit sends only what it changes.

        Raises ``InputError`` for a change that cannot be read, as :meth:`assess` does.
        """
        draft = Draft.__new__(Draft)
        draft._inner = self._inner.draft(_dumps(change, "change"))
        return draft

    def audit(
        self,
        users: Sequence[Document],
        *,
        now: Union[str, _dt.date, None] = None,
        activity: Optional[Sequence[Document]] = None,
        dormant_days: Optional[int] = None,
    ) -> Report:
        """Reviews every user of a seat. Runs without the GIL.

        ``now`` (the review date, for dormant users) is a ``datetime.date``, a timezone-aware
        ``datetime`` or an RFC 3339 / ``YYYY-MM-DD`` string; ``activity`` lists what users
        actually did (``{"user", "capability", "level", "entity", "at"?}``), for the
        least-privilege findings; ``dormant_days`` defaults to 90.
        """
        options = _audit_options(now, activity, dormant_days)
        text = self._inner.audit(_dumps(list(users), "users"), _dumps(options, "options"))
        return Report(_loads(text))

    def audit_export(
        self,
        source: ExportSource,
        *,
        now: Union[str, _dt.date, None] = None,
        activity: Optional[Sequence[Document]] = None,
        dormant_days: Optional[int] = None,
    ) -> Report:
        """Reads an export and reviews it in one call: the fast path for large exports.

        ``source`` is a file path, the export's bytes, a parsed JSON document or an open
        file; the format is detected from the content (see :func:`read_export`). The file is
        read, parsed and audited in Rust without the GIL, and the users never become Python
        objects. When this engine has no directory and the export carries one (a T1
        permissions document), the export's directory is used. Options as for :meth:`audit`.

        Raises ``InputError`` (code ``ingest.*``, ``path`` inside the export) for an export
        that cannot be read, and ``OSError`` (e.g. ``FileNotFoundError``) for a file that
        cannot be opened.
        """
        options = _audit_options(now, activity, dormant_days)
        text = self._inner.audit_export(_source(source), _dumps(options, "options"))
        return Report(_loads(text))

    def drift(self, old: ExportSource, new: ExportSource, *, now: Optional[Date] = None) -> Dict[str, Any]:
        """What changed in the seat between two exports (each any format :func:`read_export`
        reads; sources as for :meth:`audit_export`).

        Returns ``{"summary", "changes", "unchanged"}``: every user added, removed or whose
        access (assignments, toggles) differs, as a change (before = old, after = new) with
        the findings and approvals it would have needed had it been proposed, dated ``now``
        when given. Users are matched by id. The directory is this engine's, else the new
        export's, else the old one's. Both exports are read and compared in Rust without the
        GIL.

        Raises ``InputError`` with the path prefixed by its side (``new[2].id``,
        ``old.row[4].role``) and ``OSError`` for a file that cannot be opened.
        """
        text = self._inner.drift(_source(old, "old"), _source(new, "new"), _date(now, "now"))
        return _loads(text)  # type: ignore[no-any-return]

    def reconcile(
        self,
        old: ExportSource,
        new: ExportSource,
        log: LogSource,
        *,
        old_date: Optional[Date] = None,
        new_date: Optional[Date] = None,
    ) -> Reconciliation:
        """Does the access log explain every change between two exports of the seat?

        Each drifted user (see :meth:`drift`) must follow from log entries dated between
        ``old_date`` and ``new_date`` (the days the exports were taken), with the approvals
        its assessment requires; each logged change must show in the new export. Findings:
        ``reconcile.unlogged``, ``reconcile.unapproved``, ``reconcile.not_applied``, and the
        new export's expired elevations and orphaned tokens.

        ``old`` and ``new`` are exports as for :meth:`audit_export`; ``log`` is the log as
        :meth:`append_log` writes it — a file path (a ``str`` is always a path), its bytes or
        an open file — or its entries as a list of dicts. Dates as for :meth:`audit`. The
        files are read and reconciled in Rust without the GIL.

        Raises ``InputError``: code ``log.line`` (path ``line[N]...``, 1-based) for a log line
        that is not an entry, ``log.undated`` for an entry without a date, the export's code
        with the path prefixed by its side for an unreadable export; ``OSError`` for a file
        that cannot be opened.
        """
        options: Dict[str, Any] = {}
        if old_date is not None:
            options["old_date"] = old_date
        if new_date is not None:
            options["new_date"] = new_date
        text = self._inner.reconcile(
            _source(old, "old"), _source(new, "new"), _log_source(log), _dumps(options, "options")
        )
        return Reconciliation(_loads(text))

    def log_entry(self, change: Document, *, clock: Optional[Date] = None) -> Dict[str, Any]:
        """The access-log entry of a change being saved, without writing it.

        The entry is dated by the change's ``now``, else by ``clock`` (default: the current
        UTC time), and lists the approvals still missing. Raises ``InputError`` with code
        ``log.refused`` when the change's assessment has an ``error`` finding: such a change
        is not saved, so not logged.
        """
        text = self._inner.log_entry(_dumps(change, "change"), _date(clock, "clock"))
        return _loads(text)  # type: ignore[no-any-return]

    def append_log(
        self, path: Union[str, _os.PathLike[str]], change: Document, *, clock: Optional[Date] = None
    ) -> Dict[str, Any]:
        """Appends a saved change's log entry to the access log at ``path`` (created when
        missing), chained to the log's last line by its SHA-256: the entry as written (with
        ``prev``). Dated as for :meth:`log_entry`.

        Raises ``InputError`` with code ``log.refused``, and writes nothing, when the
        change's assessment has an ``error`` finding; ``OSError`` when the file cannot be read
        or written. The file is read and appended to in Rust without the GIL.
        """
        text = self._inner.append_log(_os.fspath(path), _dumps(change, "change"), _date(clock, "clock"))
        return _loads(text)  # type: ignore[no-any-return]

    def read_export(self, source: ExportSource) -> Dict[str, Any]:
        """Reads an export with this engine's profile: ``{"format", "users", "directory"}``.

        See :func:`read_export`.
        """
        return _loads(self._inner.read_export(_source(source)))  # type: ignore[no-any-return]

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


def _request_rows(requests: Iterable[Document]) -> List[Tuple[str, str, str, str]]:
    """Requests ``{capability, level, entity: {level, id}}`` as the tuples the core reads."""
    rows = []
    for i, r in enumerate(requests):
        try:
            entity = r["entity"]
            rows.append((str(r["capability"]), str(r["level"]), str(entity["level"]), str(entity["id"])))
        except (KeyError, TypeError) as e:
            raise InputError(
                f"requests[{i}] must be {{capability, level, entity: {{level, id}}}}: missing {e}",
                "input.invalid",
                f"requests[{i}]",
            ) from None
    return rows


class User:
    """A user resolved once against an engine, from :meth:`Engine.user`: the questions about
    one user without reading the user again. Answers are those of the :class:`Engine` calls
    of the same names."""

    __slots__ = ("_inner",)

    _inner: _adaccess.User

    @property
    def id(self) -> str:
        """The user's id."""
        return self._inner.id

    def can(self, capability: str, level: str, entity: Document) -> Dict[str, Any]:
        """Can the user do ``capability`` at ``level`` on ``entity``? With the reason."""
        return self._inner.can(capability, level, entity)  # type: ignore[no-any-return]

    def allows(self, capability: str, level: str, entity: Document) -> bool:
        """Only the answer of :meth:`can`."""
        return self._inner.allows(capability, level, entity)

    def allows_many(self, requests: Iterable[Document]) -> List[bool]:
        """The answers only, in order; each request is ``{"capability", "level", "entity"}``."""
        return self._inner.allows_many(_request_rows(requests))

    def can_many(self, requests: Iterable[Document]) -> List[Dict[str, Any]]:
        """Many decisions, with the reasons, in order."""
        return _loads(self._inner.can_many(_dumps(list(requests), "requests")))  # type: ignore[no-any-return]

    def effective(self) -> List[Dict[str, Any]]:
        """The permission matrix: one row per covered entity."""
        return _loads(self._inner.effective())  # type: ignore[no-any-return]

    def redact(self, entity: Document, record: Document) -> Dict[str, Any]:
        """The record as the user may see it on the entity."""
        return _loads(  # type: ignore[no-any-return]
            self._inner.redact(_dumps(entity, "entity"), _dumps(record, "record"))
        )

    def validate(self) -> Dict[str, Any]:
        """Is the user's access valid? ``{"ok", "verdict"?, "findings"}``."""
        return _loads(self._inner.validate())  # type: ignore[no-any-return]


class Draft:
    """A change being edited in a form, from :meth:`Engine.draft`.

    Indexes are those of ``after.assignments``. A wrong edit (an index out of range, an
    assignment that cannot be read, an assignment or toggle edit on a change that deletes the
    user) raises ``InputError`` naming the argument (``index``, ``assignment.entity``,
    ``after``) and changes nothing.
    """

    __slots__ = ("_inner",)

    _inner: _adaccess.Draft

    def set_role(self, index: int, role: str) -> None:
        """Gives the assignment at ``index`` another role."""
        self._inner.set_role(index, role)

    def set_assignment(self, index: int, assignment: Document) -> None:
        """Puts ``assignment`` (``{"entity", "role"}``) at ``index``, replacing the one there;
        ``index`` equal to the number of assignments appends it."""
        self._inner.set_assignment(index, _dumps(assignment, "assignment"))

    def insert_assignment(self, index: int, assignment: Document) -> None:
        """Inserts ``assignment`` before ``index``; the later ones move down."""
        self._inner.insert_assignment(index, _dumps(assignment, "assignment"))

    def remove_assignment(self, index: int) -> None:
        """Removes the assignment at ``index``; the later ones move up."""
        self._inner.remove_assignment(index)

    def set_toggle(self, toggle: str, on: bool) -> None:
        """Turns a toggle of the after-state (``billing``) on or off."""
        self._inner.set_toggle(toggle, on)

    def set_reason(self, reason: Optional[str]) -> None:
        """Sets the reason of the change, or clears it with ``None``."""
        self._inner.set_reason(reason)

    def set_approvals(self, approvals: Sequence[Document]) -> None:
        """Replaces the approvals given so far (each ``{"kind", "by"}``)."""
        self._inner.set_approvals(_dumps(list(approvals), "approvals"))

    def check(self) -> Dict[str, Any]:
        """What a form shows after an edit: ``{"ok", "findings", "diff",
        "approvals_required"}``, as :meth:`Engine.assess` gives them for the change as it
        stands."""
        return _loads(self._inner.check())  # type: ignore[no-any-return]

    def assess(self, *, effective: str = "all") -> Dict[str, Any]:
        """The full assessment of the change as it stands (on save); ``effective`` as for
        :meth:`Engine.assess`."""
        options = _dumps({"effective": effective}, "options")
        return _loads(self._inner.assess(options))  # type: ignore[no-any-return]

    def log_entry(self, *, clock: Optional[Date] = None) -> Dict[str, Any]:
        """The access-log entry of the change as it stands, on save, without writing it;
        dated and refused (``log.refused``) as for :meth:`Engine.log_entry`."""
        return _loads(self._inner.log_entry(_date(clock, "clock")))  # type: ignore[no-any-return]

    @property
    def change(self) -> Dict[str, Any]:
        """The change as it stands, with the edits made (a new dict on each read)."""
        return _loads(self._inner.change())  # type: ignore[no-any-return]


def profiles() -> List[str]:
    """The ids of the built-in profiles."""
    return list(_adaccess.profiles())


def codes() -> List[Dict[str, Any]]:
    """Every finding code with its default severity, source and description."""
    return _loads(_adaccess.codes())  # type: ignore[no-any-return]


def read_export(
    source: ExportSource, profile: Union[str, Engine, Document] = "dv360"
) -> Dict[str, Any]:
    """Reads a seat's export, detecting its format from the content.

    Returns ``{"format": ..., "users": [...], "directory": {...} or None}`` where ``format``
    is ``"dv360_users_list"`` (a DV360 ``users.list`` page, an array of pages or of bare DV360
    users), ``"csv"`` (one row per assignment, with a ``user_id`` column), ``"t1_permissions"``
    (MediaMath T1 permissions, which also carry the directory) or ``"users"`` (a JSON array of
    users in adaccess's own shape).

    ``source`` is a file path (``str`` or ``os.PathLike``; read without the GIL), the export's
    bytes, a parsed JSON document or an open file. ``profile`` maps the platform's role names
    to the profile's roles: a built-in id, an :class:`Engine` or a profile document.

    Raises ``InputError`` with ``code`` (``ingest.syntax``, ``ingest.unknown_role``,
    ``ingest.csv``...) and ``path`` (``[1].users[3].assignedUserRoles[0].userRole``, or
    ``row[4].role`` for CSV) for an unusable export, and ``OSError`` for a file that cannot be
    opened.
    """
    return _loads(_core(profile).read_export(_source(source)))  # type: ignore[no-any-return]


def read_dv360_users(
    source: ExportSource, profile: Union[str, Engine, Document] = "dv360"
) -> List[Dict[str, Any]]:
    """Reads a Display & Video 360 ``users.list`` export: the users, in adaccess's shape.

    ``source`` is a file path, the response's bytes, one parsed page (a dict with ``users``),
    a list of pages or of DV360 users, or an open file. Errors as for :func:`read_export`.
    """
    return _loads(  # type: ignore[no-any-return]
        _core(profile).read_dv360_users(_source(source, "users.list"))
    )


def read_csv(
    source: Union[str, _os.PathLike[str], bytes, bytearray, memoryview, IO[bytes], IO[str]],
    profile: Union[str, Engine, Document] = "dv360",
) -> List[Dict[str, Any]]:
    """Reads a CSV export, one row per assignment: the users, in adaccess's shape.

    Columns: ``user_id,email,name,level,entity_id,role`` and optionally toggle columns
    (``billing``) and ``last_login``; ``role`` may be a role id or the platform's name for it.
    ``source`` is a file path (a ``str`` is always a path, never CSV text), the CSV's bytes or
    an open file. Errors name ``row[N].column``, the header being row 1.
    """
    return _loads(_core(profile).read_csv(_source(source, "csv")))  # type: ignore[no-any-return]


def verify_log(source: LogFile, *, head: Optional[str] = None) -> Dict[str, Any]:
    """Checks an access log's hash chain: every line an entry whose ``prev`` is the SHA-256
    of the line before, the first without one.

    Returns ``{"ok", "entries", "head"}`` for an unbroken log (keep ``head`` where the log's
    writers cannot edit it, and pass it as ``head`` next time to check that no line was
    removed from the end), or ``{"ok": False, "entries", "broken": {"line", "code",
    "message"}}`` naming the first line where the chain breaks (``log.unreadable``,
    ``log.chain_broken``, ``log.chain_start``, ``log.head_missing``).

    ``source`` is a file path (a ``str`` is always a path), the log's bytes or an open file;
    the file is read and checked in Rust without the GIL.
    """
    return _loads(_adaccess.verify_log(_text_source(source, "log"), head))  # type: ignore[no-any-return]
