"""Trained model files and their manifests.

Every trained file in ``claimscope/data`` has ``<file>.manifest.json`` beside it, written by
the script that trained it: the file's sha256, the command, the training data (files and
hashes), the settings and the settings search, library versions, dev metrics, and the
versions of the rules and lexicons it was trained against. ``claimscope models --check``
verifies all of it; components call ``require`` when a pipeline is built, so a missing or
corrupt model is an error that names the file and the command that rebuilds it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import platform
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from .lexicons import DATA

TRAINED_SUFFIXES = {".crfsuite", ".npy", ".npz", ".onnx"}
ROOT = Path(__file__).resolve().parents[2]


class ModelFileError(RuntimeError):
    """A trained file that is missing, corrupt or without a manifest."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_sha256(path: Path) -> tuple[str, int]:
    """A hash over a file or over every file under a folder (names and contents), and the file count."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        digest.update(sha256(file).encode())
    return digest.hexdigest(), len(files)


def manifest_path(model: Path) -> Path:
    return model.with_name(model.name + ".manifest.json")


def _versions(packages: list[str]) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def write_manifest(model: Path, *, command: str, data: list[Path], settings: dict[str, Any], metrics: dict[str, Any],
                   lexicons: list[str] = (), rules: Optional[dict[str, str]] = None, packages: list[str] = (), search: Optional[list[dict]] = None,
                   notes: str = "") -> Path:
    """Record how ``model`` was made (call after writing it)."""
    entries = []
    for item in data:
        digest, count = tree_sha256(item)
        entries.append({"path": _relative(item), "sha256": digest, "files": count})
    manifest = {
        "model": model.name,
        "sha256": sha256(model),
        "bytes": model.stat().st_size,
        "command": command,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "data": entries,
        "settings": settings,
        "settings_search": search or [],
        "metrics": metrics,
        "lexicons": {name: sha256(DATA / name) for name in lexicons},
        "rules": dict(rules or {}),
        "libraries": _versions(list(packages)),
        "notes": notes,
    }
    path = manifest_path(model)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _relative(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return str(Path("..") / path.relative_to(ROOT.parent))
    except ValueError:
        return str(path)


def command_line() -> str:
    """The command that is running, as a user would type it again from the repository root."""
    script = Path(sys.argv[0])
    try:
        script = script.resolve().relative_to(ROOT)
    except ValueError:
        pass
    return " ".join(["python", str(script), *sys.argv[1:]])


@dataclass
class Check:
    model: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manifest: Optional[dict] = None

    @property
    def ok(self) -> bool:
        return not self.problems


def trained_files(data_dir: Path = DATA) -> list[Path]:
    return sorted(p for p in Path(data_dir).iterdir() if p.suffix in TRAINED_SUFFIXES)


def check_model(model: Path, data_dir: Path = DATA, rule_versions: Optional[dict[str, str]] = None) -> Check:
    """Compare a trained file with its manifest: hash, lexicons, rule versions, libraries, training data."""
    result = Check(model.name)
    path = manifest_path(model)
    if not path.exists():
        result.problems.append(f"no manifest ({path.name})")
        return result
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        result.problems.append(f"manifest {path.name} unreadable ({exc})")
        return result
    result.manifest = manifest
    if not model.exists():
        result.problems.append("model file missing")
    elif sha256(model) != manifest.get("sha256"):
        result.problems.append("sha256 differs from the manifest (file changed or corrupt)")
    for name, digest in manifest.get("lexicons", {}).items():
        lexicon = Path(data_dir) / name
        if not lexicon.exists():
            result.problems.append(f"lexicon {name} it was trained with is gone")
        elif sha256(lexicon) != digest:
            result.problems.append(f"lexicon {name} changed since training (stale: retrain with `{manifest.get('command')}`)")
    for name, version in manifest.get("rules", {}).items():
        current = (rule_versions or {}).get(name)
        if current != version:
            result.problems.append(f"rules {name} are version {current}, the model was trained on {version} (stale)")
    for package, version in manifest.get("libraries", {}).items():
        if package == "python":
            continue
        installed = _versions([package])[package]
        if installed == "not installed":
            result.notes.append(f"{package} (training only) not installed here")
        elif installed != version:
            result.problems.append(f"{package} {installed} installed, trained with {version}")
    for entry in manifest.get("data", []):
        where = (ROOT / entry["path"]).resolve()
        if not where.exists():
            result.notes.append(f"training data {entry['path']} not here (not checked)")
        elif tree_sha256(where)[0] != entry["sha256"]:
            result.problems.append(f"training data {entry['path']} changed since training")
    return result


def check_all(data_dir: Path = DATA, rule_versions: Optional[dict[str, str]] = None) -> list[Check]:
    """Every trained file against its manifest; ``rule_versions`` (claimscope.pipeline.rule_versions) are the current
    versions of the rules the models read."""
    return [check_model(model, data_dir, rule_versions) for model in trained_files(data_dir)]


@functools.cache
def require(name: str) -> Path:
    """The path of a trained file, checked against its manifest's hash; ModelFileError names the fix."""
    model = DATA / name
    path = manifest_path(model)
    command = "its training script under scripts/"
    expected = None
    if path.exists():
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            command, expected = f"`{manifest['command']}`", manifest["sha256"]
        except (OSError, ValueError, KeyError):
            pass
    if not model.exists():
        raise ModelFileError(f"model file {model} is missing; reinstall claimscope or rebuild it with {command}")
    if expected is None:
        raise ModelFileError(f"model file {model} has no readable manifest ({path.name}); rebuild it with {command}")
    if sha256(model) != expected:
        raise ModelFileError(f"model file {model} is corrupt (sha256 differs from {path.name}); reinstall claimscope or rebuild it with {command}")
    return model
