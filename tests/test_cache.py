"""The library cache: used when nothing changed, rebuilt when anything did."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simulator.scenario import cache
from simulator.scenario.paths import bundled_dir


@pytest.fixture
def library_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "scenarios"
    shutil.copytree(bundled_dir(), root)
    monkeypatch.setenv("CALLDRILL_CACHE", str(tmp_path / "cache"))
    return root


def test_second_load_comes_from_the_cache(library_copy: Path) -> None:
    first = cache.cached_library(library_copy)
    files = list((library_copy.parent / "cache").glob("library-*.pickle"))
    assert len(files) == 1
    second = cache.cached_library(library_copy)
    assert second is not first and second.scenarios.keys() == first.scenarios.keys()
    assert second.scenarios == first.scenarios


def test_a_changed_file_invalidates_the_cache(library_copy: Path) -> None:
    first = cache.cached_library(library_copy)
    sid = next(iter(first.scenarios))
    path = library_copy / f"{sid}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nversion: 1", "\nversion: 2", 1), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = cache.cached_library(library_copy)
    assert second.scenarios[sid].version == 2
    assert len(list((library_copy.parent / "cache").glob("library-*.pickle"))) == 1


def test_a_damaged_cache_is_rebuilt(library_copy: Path) -> None:
    cache.cached_library(library_copy)
    (damaged,) = (library_copy.parent / "cache").glob("library-*.pickle")
    damaged.write_bytes(b"not a pickle")
    lib = cache.cached_library(library_copy)
    assert lib.scenarios


def test_start_index_lists_everything_and_the_loader_gives_the_rest(library_copy: Path) -> None:
    index, loader = cache.cached_start(library_copy)
    lib = loader()
    assert set(index.scenarios) == set(lib.scenarios)
    for sid, summary in index.scenarios.items():
        assert summary.title == lib.scenarios[sid].title
        assert summary.skills == lib.scenarios[sid].skills
    # A second start reads the index from the cache and loads the library only on demand.
    again, lazy = cache.cached_start(library_copy)
    assert again.scenarios == index.scenarios
    assert lazy().scenarios.keys() == lib.scenarios.keys()
