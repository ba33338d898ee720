"""A cache of the loaded library, so the app starts without re-reading every file.

The cache is keyed by calldrill's version and the path, size and modification time
of every file the library is read from: any change to a scenario, persona, tag or
rubric file (or an upgrade) makes a new key, and the library is loaded and checked
in full again. It lives in the user's cache folder, which only that user can write;
a damaged or unreadable cache is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_dir

from simulator import __version__
from simulator.scenario.paths import bundled_dir
from simulator.scenario.summary import LibraryIndex

if TYPE_CHECKING:
    from simulator.scenario.model import Library


def cache_dir() -> Path:
    return Path(os.environ.get("CALLDRILL_CACHE") or user_cache_dir("calldrill", appauthor=False))


# Raise when the pickled classes change shape or place.
CACHE_FORMAT = 4


def _fingerprint(folders: Iterable[Path]) -> str:
    h = hashlib.sha256(f"calldrill {__version__} cache {CACHE_FORMAT}".encode())
    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            st = path.stat()
            h.update(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _read(path: Path, kind: type) -> object | None:
    try:
        with path.open("rb") as fh:
            # Our own file, in a folder only this user can write.
            value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return value if isinstance(value, kind) else None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except OSError:
        pass  # a read-only home still gets a working app, only a slower start


def cached_start(
    root: Path | None = None, extra: tuple[Path, ...] = ()
) -> tuple[LibraryIndex, Callable[[], Library]]:
    """The library's index at once, and a loader for the whole library.

    The app shows the index first and loads the rest when it is first needed (opening a
    briefing), so its start-up does not grow with the number of scenarios.
    """
    root = root or bundled_dir()
    key = _fingerprint((root, *extra))
    index_path = cache_dir() / f"index-{key}.pickle"
    index = _read(index_path, LibraryIndex)
    if isinstance(index, LibraryIndex):
        return index, lambda: cached_library(root, extra)
    lib = cached_library(root, extra)
    index = LibraryIndex.of(lib)
    _write(index_path, index)
    return index, lambda: lib


def cached_library(root: Path | None = None, extra: tuple[Path, ...] = ()) -> Library:
    """``load_library(root, extra, strict=False)``, from the cache when nothing changed."""
    # The full model is built here, on first use, not at start-up.
    from simulator.scenario.model import Library  # noqa: PLC0415

    root = root or bundled_dir()
    key = _fingerprint((root, *extra))
    path = cache_dir() / f"library-{key}.pickle"
    lib = _read(path, Library)
    if isinstance(lib, Library):
        return lib
    # Loading and checking the files needs the YAML reader: imported only on a miss.
    from simulator.scenario.library import load_library  # noqa: PLC0415

    lib = load_library(root, extra, strict=False)
    for old in path.parent.glob("*.pickle") if path.parent.is_dir() else []:
        if key not in old.name:
            old.unlink(missing_ok=True)
    _write(path, lib)
    return lib
