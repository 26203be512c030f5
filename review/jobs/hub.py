"""Fetching models from the Hugging Face hub, or the mirror ``HF_ENDPOINT`` names, into
this machine's hub cache, with progress in bytes and speed.

A hub that cannot be reached is found out by one short TCP connect (a few seconds at most)
instead of the library's own retries, so the user gets one line saying what to do.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from review.core.errors import ModelUnavailable
from review.jobs.context import Cancelled
from review.retranslate.hub_probe import unreachable_reason

DEFAULT_ENDPOINT = "https://huggingface.co"
CONNECT_TIMEOUT_S = 3.0
SKIPPED_SUFFIXES = (".h5", ".msgpack", ".ot", ".onnx", ".onnx_data", ".md", ".gitattributes",
                    ".tflite", ".mlmodel", ".gguf")
"""Files of other frameworks, and documentation: not needed to translate with torch."""

Progress = Callable[..., None]


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def looks_like_hub_id(name: str) -> bool:
    """``org/model`` that is not a folder here: something the hub could serve."""
    return (name.count("/") == 1 and not name.startswith((".", "/", "~"))
            and not os.path.exists(name))


def is_cached(name: str) -> bool:
    """Whether the model's config is already in the hub cache (nothing to fetch)."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(name, "config.json")
    except ValueError:  # not a valid repo id: the fetch will say so
        return False
    return isinstance(found, str)


def check_reachable(url: str | None = None) -> None:
    """Raise ``ModelUnavailable`` unless a TCP connection to the hub (its name looked up
included) opens within seconds."""
    url = url or endpoint()
    reason = unreachable_reason(url, CONNECT_TIMEOUT_S)
    if reason is not None:
        raise ModelUnavailable(
            f"the model hub at {url} cannot be reached ({reason}): connect this machine, set "
            "HF_ENDPOINT to a mirror, or give a local model folder")


def _wanted(files: list[tuple[str, int]]) -> list[tuple[str, int]]:
    names = {f for f, _ in files}
    has_safetensors = any(f.endswith(".safetensors") for f in names)
    keep = []
    for name, size in files:
        if name.endswith(SKIPPED_SUFFIXES) or "/" in name:
            continue
        if has_safetensors and name.endswith(".bin") and "model" in name:
            continue  # the same weights twice: safetensors load faster and safer
        keep.append((name, size))
    return keep


def pull(name: str, progress: Progress | None = None,
         should_cancel: Callable[[], bool] | None = None) -> dict:
    """Download the files a model needs; returns bytes, files, folder and seconds."""
    if offline():
        raise ModelUnavailable(f"HF_HUB_OFFLINE is set, so {name} cannot be fetched: unset it "
                               "(make run does) or copy the model folder here")
    if not looks_like_hub_id(name):
        raise ModelUnavailable(f"{name!r} is not a hub id like Helsinki-NLP/opus-mt-zh-en")
    hub = endpoint()
    check_reachable(hub)
    from huggingface_hub import HfApi, hf_hub_download
    from tqdm.auto import tqdm

    try:
        info = HfApi(endpoint=hub).model_info(name, files_metadata=True,
                                              timeout=CONNECT_TIMEOUT_S * 3)
    except Exception as exc:
        raise ModelUnavailable(f"{hub} has no model {name} ({_first_line(exc)})") from exc
    files = _wanted([(s.rfilename, s.size or 0) for s in info.siblings or []])
    total = sum(size for _, size in files)
    started = time.monotonic()
    done = {"bytes": 0}

    def report(current: str) -> None:
        seconds = max(time.monotonic() - started, 1e-6)
        speed = done["bytes"] / seconds / 1e6
        if progress is not None:
            progress(done["bytes"], total, f"{current}: {done['bytes'] / 1e6:.1f} of "
                     f"{total / 1e6:.1f} MB at {speed:.1f} MB/s")

    class Bar(tqdm):
        """Counts the bytes of every file into the job's progress."""

        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            done["bytes"] += int(n or 0)
            report(name)
            if should_cancel is not None and should_cancel():
                raise Cancelled()
            return super().update(n)

    folder = ""
    for filename, size in files:
        before = done["bytes"]
        try:
            path = hf_hub_download(name, filename, endpoint=hub,
                                   etag_timeout=CONNECT_TIMEOUT_S * 3, tqdm_class=Bar)
        except Cancelled:
            raise
        except Exception as exc:
            raise ModelUnavailable(f"fetching {name}/{filename} from {hub} failed "
                                   f"({_first_line(exc)})") from exc
        done["bytes"] = before + size  # cached files report no bytes: count them anyway
        report(filename)
        folder = os.path.dirname(path)
    return {"name": name, "bytes": total, "files": len(files), "path": folder,
            "seconds": round(time.monotonic() - started, 2)}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
