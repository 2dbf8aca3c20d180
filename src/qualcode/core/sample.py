"""The bundled sample project: sample transcripts + codebooks, built once into a project file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qualcode.core.store import Project
from qualcode.errors import ProjectError
from qualcode.i18n import N_, _

ACTIVE_CODEBOOKS = ("sobandi-2008", "siagian-2014")
_HERE = Path(__file__).resolve().parent


def sample_dir() -> Path:
    """The sample transcripts folder (inside the installed package, or the source tree)."""
    for candidate in (_HERE.parent / "sample_transcripts", _HERE.parents[2] / "sample_transcripts"):
        if candidate.is_dir():
            return candidate
    raise ProjectError(N_("the sample transcripts are not installed"),
                       hint=N_("reinstall qualcode, or run from a checkout of its repository"))


def default_demo_path() -> Path:
    """Where `qualcode demo` keeps its project (the user's data folder)."""
    from platformdirs import user_data_dir

    base = Path(os.environ.get("QUALCODE_HOME") or user_data_dir("qualcode", appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base / "demo.qualcode"


def demo_path_if_built() -> Path | None:
    """The demo project's file when `qualcode demo` has built it (else None; creates nothing)."""
    from platformdirs import user_data_dir

    base = Path(os.environ.get("QUALCODE_HOME") or user_data_dir("qualcode", appauthor=False))
    path = base / "demo.qualcode"
    return path if path.is_file() else None


def build_sample_project(path: Path, *, fresh: bool = False,
                         echo: Callable[[str], Any] = print) -> Project:
    """Open the sample project at `path`, building it first if missing (or if `fresh`).

    The project is built in a temporary file and moved into place when complete, so an
    interrupted build never leaves a half-written project.
    """
    if path.exists() and not fresh:
        return Project.open(path)  # type: ignore[no-any-return]
    from qualcode.core.codebooks import bundled_codebooks, load_codebook
    from qualcode.core.ingest.manifest import collect_files, load_manifest
    from qualcode.core.sample_codings import apply_sample_codings

    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    echo(_("building the sample project in {path} ...").format(path=path))
    project = Project.create(partial)
    with project:
        for book in bundled_codebooks():
            spec = load_codebook(book)
            project.import_codebook(spec, active=spec.key in ACTIVE_CODEBOOKS)
        folder = sample_dir()
        manifest_path = folder / "manifest.yaml"
        manifest = load_manifest(manifest_path) if manifest_path.exists() else None
        report = project.import_files(collect_files([folder]), manifest=manifest)
        for outcome in report.errors:
            echo(_("sample file skipped: {message}").format(message=outcome.text()))
        apply_sample_codings(project, folder / "codings.yaml")
        project.set_meta("default_coder", "peneliti")  # you code as the sample's researcher
        project.clear_history()
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(partial, path)
    return Project.open(path)  # type: ignore[no-any-return]
