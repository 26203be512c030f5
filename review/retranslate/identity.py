"""A model's identity for the cache key: the hub commit or a digest of a local
folder's files, so a changed model never serves a stale cached translation.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from review.core.errors import ModelUnavailable

_FOLDER_DIGESTS: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}
_DIGEST_LOCK = threading.Lock()


def _looks_like_path(name: str) -> bool:
    """A name that can only be a folder (a hub id is ``name`` or ``owner/name``)."""
    return (name.startswith(("/", "./", "../", "~", ".\\", "..\\")) or "\\" in name
            or name.count("/") > 1 or (len(name) > 1 and name[1] == ":"))


def _folder_files(folder: Path) -> list[Path]:
    """Regular files of a model folder, skipping hidden ones (.git, caches, editor files)."""
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        files.append(path)
    return files


def _folder_digest(folder: Path) -> str:
    """Hash of the files' names and bytes; cached while their sizes and mtimes stay put."""
    files = _folder_files(folder)
    stats = tuple((f.relative_to(folder).as_posix(), f.stat().st_size, f.stat().st_mtime_ns)
                  for f in files)
    key = (str(folder.resolve()), stats)
    with _DIGEST_LOCK:
        if key in _FOLDER_DIGESTS:
            return _FOLDER_DIGESTS[key]
    total = hashlib.sha256()
    for path, (rel, _size, _mtime) in zip(files, stats, strict=True):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        total.update(f"{rel}\0{digest.hexdigest()}\n".encode())
    result = total.hexdigest()
    with _DIGEST_LOCK:
        _FOLDER_DIGESTS[key] = result
    return result


def _offline() -> bool:
    return any(os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on")
               for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _cached_hub_commit(repo_id: str, revision: str | None) -> str | None:
    """The commit of a hub model in the local cache, or None when it is not there."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    except ValueError:  # not a valid repo id
        return None
    if isinstance(found, str):
        return Path(found).parent.name
    return None


def _unavailable_message(name: str, why: str) -> str:
    return (f"model {name} {why}: download it on a machine with network "
            f"(`hf download {name} --local-dir FOLDER`) and pass the folder with "
            f"--model FOLDER, or set REVIEW_MODEL_<SRC>_<TGT>=FOLDER (e.g. REVIEW_MODEL_ZH_EN) "
            f"or [models] in review.toml")


def model_identity(name_or_path: str | Path, revision: str | None = None) -> str:
    """A stable id for a model: what changes when the weights change.

    A local folder gives ``<model_type>@sha256:<16 hex>`` from its files' bytes (two folders
    holding the same files get the same id); a hub id gives ``<id>@<commit>`` (the commit in
    the local cache, else the requested revision or ``main``).
    """
    name = str(name_or_path)
    folder = Path(name).expanduser()
    if folder.is_dir():
        model_type = "model"
        config = folder / "config.json"
        if config.is_file():
            try:
                model_type = json.loads(config.read_text(encoding="utf-8")).get(
                    "model_type", model_type)
            except (ValueError, OSError):
                pass
        return f"{model_type}@sha256:{_folder_digest(folder)[:16]}"
    if folder.exists():
        raise ModelUnavailable(f"model {name} is a file: pass the folder that holds "
                               f"config.json and the weights")
    if _looks_like_path(name):
        raise ModelUnavailable(f"model folder {name} does not exist: pass a folder that holds "
                               f"config.json and the weights, or a hub id")
    commit = _cached_hub_commit(name, revision)
    return f"{name}@{(commit or revision or 'main')[:12]}"
