"""The access review of many seats on a Dask cluster (``pip install 'adaccess[dask]'``).

A seat's audit is independent of every other, so hundreds of seats fan out on the workers of
a ``distributed`` cluster, one task per seat, and come back as one Dask DataFrame of findings
with a ``seat`` column; ``.compute()`` gives the pandas DataFrame that
``adaccess.audit_seats(sources).findings_frame()`` gives on one machine::

    from distributed import Client
    import adaccess.dask

    client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    findings = adaccess.dask.audit_seats("exports/", client, now="2026-11-22")
    findings.groupby(["seat", "severity"]).size().compute()

The seats are found on the calling machine (:func:`adaccess.find_seats`: files, folders with
or without a ``seats.json`` manifest, globs; absolute paths); each task reads its seat's
export and directory on a worker, so the paths must be readable there too: a shared file
system, or the same folder on every machine.
"""

from __future__ import annotations

import importlib as _importlib
import os as _os
import uuid as _uuid
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
    cast,
)

import adaccess as _adaccess

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    import dask.dataframe
    import distributed
    import pandas  # type: ignore[import-untyped, unused-ignore]

__all__ = ["audit_seats"]

_EXTRA = "adaccess.dask needs the dask extra: pip install 'adaccess[dask]'"

Source = Union[str, "_os.PathLike[str]"]
Sources = Union[Source, Sequence[Union[Source, Mapping[str, Any]]]]
"""What :func:`adaccess.find_seats` takes (a file, a folder, a manifest, a glob, or a list of
them), or the seats it gives."""


def _require() -> Tuple[Any, Any]:
    """``dask`` and ``dask.dataframe``, or the ImportError that names the extra."""
    try:
        dask = _importlib.import_module("dask")
        dd = _importlib.import_module("dask.dataframe")
        _importlib.import_module("pandas")
    except ImportError as e:
        raise ImportError(_EXTRA) from e
    return dask, dd


def _text_dtype() -> Any:
    """The dtype of text columns: pandas' string dtype on pyarrow (what Dask converts text
    to), so that a column's dtype does not depend on its values (pandas infers ``object`` for
    a column of only ``None``, and pandas 3 ``str`` for one with a string)."""
    pd = _importlib.import_module("pandas")
    try:
        _importlib.import_module("pyarrow")
        return pd.StringDtype("pyarrow")
    except ImportError:  # pragma: no cover - dask[dataframe] brings pyarrow
        return pd.StringDtype()


def _is_text(dtype: Any) -> bool:
    pd = _importlib.import_module("pandas")
    return dtype == object or isinstance(dtype, pd.StringDtype)


def _meta(frame: "pandas.DataFrame") -> "pandas.DataFrame":
    """The empty frame of a seat's findings: the columns of ``frame``, text as strings."""
    text = _text_dtype()
    empty = frame.iloc[:0]
    return empty.astype({c: text for c, t in empty.dtypes.items() if _is_text(t)})


def _conform(frame: "pandas.DataFrame", meta: "pandas.DataFrame") -> "pandas.DataFrame":
    """``frame`` with the columns and dtypes of ``meta``."""
    pd = _importlib.import_module("pandas")
    frame = frame.reindex(columns=meta.columns)
    dtypes = {
        c: t
        for c, t in meta.dtypes.items()
        if frame[c].dtype != t and not isinstance(t, pd.CategoricalDtype)
    }
    return frame.astype(dtypes) if dtypes else frame


def _empty_meta() -> Optional["pandas.DataFrame"]:
    """The findings frame of no seat."""
    try:
        empty = _adaccess.SeatsReport({"seats": [], "failed": [], "summary": {}})
        return _meta(empty.findings_frame())
    except Exception:  # pragma: no cover - a SeatsReport that needs more than this
        return None


def _options(
    profile: Any,
    now: Any,
    activity: Optional[Sequence[Mapping[str, Any]]],
    dormant_days: Optional[int],
) -> Dict[str, Any]:
    """The keyword arguments of :func:`adaccess.audit_seats`, in a form a worker can unpickle
    (an :class:`adaccess.Engine` travels as its profile document, which is all
    ``audit_seats`` uses of it)."""
    if isinstance(profile, _adaccess.Engine):
        profile = profile.profile()
    return {
        "profile": profile,
        "now": now,
        "activity": None if activity is None else [dict(a) for a in activity],
        "dormant_days": dormant_days,
    }


def _seat_frame(
    seat: Mapping[str, Any], options: Mapping[str, Any], skip_failed: bool
) -> "pandas.DataFrame":
    """One seat's findings: the task a worker runs."""
    report = _adaccess.audit_seats([dict(seat)], **options)
    if report.failed and not skip_failed:
        failure = report.failed[0]
        error = failure.get("error") or {}
        raise _adaccess.InputError(
            f"seat {failure.get('seat')} ({failure.get('file')}): {error.get('message')}",
            code=str(error.get("code", "seats.unreadable")),
            path=error.get("path"),
        )
    return report.findings_frame()


def _audit_seat(
    seat: Mapping[str, Any],
    options: Mapping[str, Any],
    skip_failed: bool,
    meta: "pandas.DataFrame",
) -> "pandas.DataFrame":
    return _conform(_seat_frame(seat, options, skip_failed), meta)


def audit_seats(
    sources: Sources,
    client: Optional["distributed.Client"] = None,
    *,
    profile: Union[str, "_adaccess.Engine", Mapping[str, Any], None] = None,
    now: Union[str, "datetime.date", None] = None,
    activity: Optional[Sequence[Mapping[str, Any]]] = None,
    dormant_days: Optional[int] = None,
    skip_failed: bool = False,
) -> "dask.dataframe.DataFrame":
    """Audits every seat of ``sources`` on a Dask cluster: one task and one partition per seat.

    ``sources`` is what :func:`adaccess.find_seats` takes (a file, a folder with or without a
    ``seats.json``, a glob, or a list of them) or the seats it gives; ``profile``, ``now``,
    ``activity`` and ``dormant_days`` are those of :func:`adaccess.audit_seats`.

    With a ``client``, the seats are submitted to its cluster at once and the frame's
    partitions are the futures of their findings (``.compute()`` gathers them when the client
    is the default one, as a new ``Client`` is; else ``client.compute(frame).result()``).
    Without one, the frame is lazy and runs on the default scheduler: the current
    ``distributed`` client, or Dask's local threads.

    The frame has the columns of ``findings_frame()``, ``seat`` first, with its text columns
    as pandas strings (so that a column's dtype does not depend on its values); partition
    ``i`` is the ``i``-th seat found. A seat that cannot be read (which
    :func:`adaccess.audit_seats` lists in ``failed``) raises ``InputError`` when computed,
    naming the seat and file; with ``skip_failed``, it is left out.
    """
    dask_, dd = _require()
    seats = [dict(s) for s in _adaccess.find_seats(sources)]
    options = _options(profile, now, activity, dormant_days)
    meta = _empty_meta()
    if not seats:
        if meta is None:  # pragma: no cover
            raise ValueError(f"no seats in {sources!r}")
        return cast("dask.dataframe.DataFrame", dd.from_pandas(meta, npartitions=1))
    # The keys name the seat in the dashboard and the task stream; unique per call, since an
    # export may change between two calls.
    call = _uuid.uuid4().hex[:12]
    names = [f"adaccess-audit-{s.get('seat')}-{call}" for s in seats]

    if client is not None:
        if meta is not None:
            futures = client.map(
                _audit_seat,
                seats,
                options=options,
                skip_failed=skip_failed,
                meta=meta,
                key=names,
            )
        else:  # pragma: no cover - the first seat's frame gives the columns
            frames = client.map(
                _seat_frame, seats, options=options, skip_failed=skip_failed, key=names
            )
            meta = _meta(frames[0].result())
            futures = client.map(_conform, frames, meta=meta, key=[f"{n}-conform" for n in names])
        frame = dd.from_delayed(futures, meta=meta, verify_meta=False)
        return cast("dask.dataframe.DataFrame", frame)

    if meta is None:  # pragma: no cover - the first seat's frame gives the columns
        first = dask_.delayed(_seat_frame)(seats[0], options, skip_failed)
        (computed,) = dask_.compute(first)
        meta = _meta(computed)
    parts = [
        dask_.delayed(_audit_seat, pure=False)(
            seat, options, skip_failed, meta, dask_key_name=name
        )
        for seat, name in zip(seats, names)
    ]
    return cast("dask.dataframe.DataFrame", dd.from_delayed(parts, meta=meta, verify_meta=False))
