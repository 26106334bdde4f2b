"""A submission that tries to reach what the sandbox's filesystem should not hold.

Each function answers what it found, as plain data; the tests decide what must hold.
"""

import hashlib
import importlib
import importlib.util
import os
import sys


def remove_blocker():
    """Take mlgrade's import blocker out of the import system, as an attacker would."""
    before = len(sys.meta_path)
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "ImportBlocker"]
    importlib.reload(importlib.util)  # the blocker also wraps importlib.util.find_spec
    return before - len(sys.meta_path)


def try_import(name, attribute=None):
    """Import ``name`` (any spelling arrives here as a string) and fetch ``attribute`` from it.

    What got imported is dropped again: the harness seeds torch through sys.modules, and an
    empty namespace module called torch has nothing to seed.
    """
    before = set(sys.modules)
    try:
        module = importlib.import_module(name)
        if attribute:
            getattr(module, attribute)
        return f"imported from {getattr(module, '__file__', None)}"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        for loaded in set(sys.modules) - before:
            del sys.modules[loaded]


def getattr_chain(top, *names):
    """``getattr(__import__(top), a).b ...``: lazy-loading packages (scipy) import on getattr."""
    before = set(sys.modules)
    try:
        value = __import__(top)
        for name in names:
            value = getattr(value, name)
        return f"reached {value!r}"[:200]
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        for loaded in set(sys.modules) - before - {top}:
            del sys.modules[loaded]


def load_from_path(package, relative="__init__.py"):
    """Load ``<folder>/<package>/<relative>`` straight from a file, for every folder on sys.path."""
    outcomes = {}
    for folder in [p for p in sys.path if p and os.path.isdir(p)]:
        path = os.path.join(folder, package, relative)
        if not os.path.isdir(os.path.join(folder, package)):
            continue
        try:
            spec = importlib.util.spec_from_file_location(
                package, path, submodule_search_locations=[os.path.dirname(path)]
            )
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            outcomes[path] = f"loaded, {len(vars(module))} names"
        except Exception as exc:
            outcomes[path] = f"{type(exc).__name__}: {exc}"[:200]
    return outcomes


def files_under(folder_name, suffixes=(".py", ".so")):
    """Code files of ``folder_name`` (a package, a .dist-info, a .libs) in every sys.path folder."""
    found = []
    for folder in [p for p in sys.path if p and os.path.isdir(p)]:
        for top, _, files in os.walk(os.path.join(folder, folder_name)):
            found += [os.path.join(top, f) for f in files if f.endswith(suffixes) or folder_name.endswith("-info")]
    return found


def entries(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        return f"{type(exc).__name__}"


def read_bytes(paths):
    """How many bytes each path gives (a hidden file gives none, or cannot be opened)."""
    result = {}
    for path in paths:
        try:
            with open(path, "rb") as f:
                result[path] = len(f.read())
        except OSError as exc:
            result[path] = type(exc).__name__
    return result


def find_secrets(fingerprints, names):
    """Walk everything the sandbox can see: files named in ``names``, folders called graders,
    and files whose content has one of ``fingerprints`` ({size: [sha256, ...]})."""
    by_size = {int(size): set(digests) for size, digests in fingerprints.items()}
    hits = []
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        hits += [os.path.join(top, d) + "/" for d in dirs if d == "graders"]
        for name in files:
            path = os.path.join(top, name)
            if name in names:
                hits.append(path)
                continue
            try:
                size = os.lstat(path).st_size
                if size in by_size:
                    with open(path, "rb") as f:
                        if hashlib.sha256(f.read()).hexdigest() in by_size[size]:
                            hits.append(path)
            except OSError:
                pass
    return hits


def torch_trains():
    """An allowed library still works beside hidden ones: torch builds, trains and probes."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 2))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = torch.randn(4, 1, 4, 4), torch.tensor([0, 1, 0, 1])
    for _ in range(3):
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimiser.step()
    return float(loss)


def numpy_works():
    import numpy as np

    return float(np.linalg.norm(np.arange(4.0)))
