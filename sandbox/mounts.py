"""What a sandbox container's filesystem holds: which host paths it mounts and which it hides.

The harness shares its process with the student's code, so whatever must hold whatever the
student does lives here, in the container's view of the host (DESIGN.md, section 1):

- Only what the Python runtime needs is mounted, read-only: the interpreter, the shared
  libraries it links, its stdlib and site-packages folders, and the system's /usr/bin and
  /usr/lib. Never a whole prefix: a prefix may hold a checkout (``pip install -e git+URL``
  puts one in <venv>/src/), and with it the hidden graders.
- A plan that would mount the hidden graders anyway is refused (``ProtectedFolderMounted``).
- An exercise's forbidden packages are absent: an empty read-only tmpfs over the package's
  folder, its ``.dist-info`` and its ``.libs`` companion, /dev/null over a single-file
  module, in every folder of packages the container can see, so no spelling of an import,
  no path-based loader and no reading of the shared objects reaches their code.
- Every copy of a graded data set (scikit-learn's digits) under a mounted folder is hidden.

Finding the packages and the data copies walks the mounted folders (about 140,000 files on a
machine with torch: 1.3 to 3.8 s on a busy 2-core machine); the result is cached in the user's
cache folder and reused (about 15 ms) while the modification times of the mounted folders, of
their subfolders and of the package folders are unchanged. A file added deep inside a package
without touching those is not seen until then: the student cannot write to the host, and a
pip install touches site-packages.
"""

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass

from mlgrade.core.errors import InfrastructureError

# System folders every sandbox needs (the C library, the dynamic loader, coreutils' `timeout`,
# time zones). The image's /bin, /lib, /lib64 and /sbin are symlinks into /usr.
SYSTEM_DIRS = ("/usr/bin", "/usr/lib", "/usr/lib64", "/usr/share/zoneinfo")
SYSTEM_FILES = ("/etc/ld.so.cache",)
IMAGE_SYMLINKS = {"/bin": "/usr/bin", "/lib": "/usr/lib", "/lib64": "/usr/lib64", "/sbin": "/usr/sbin"}

# Graded data sets that also exist in public: file names, and (size, sha256) fingerprints of
# known copies, so that a renamed copy is found too. scikit-learn's digits (exercise 01):
# digits.csv.gz as it ships, and the same file uncompressed.
GRADED_DATA_NAME = re.compile(r"(opt)?digits([._-][\w.-]*)?\.(csv|gz|npz|npy|tra|tes|txt|zip|bz2|xz|pkl|joblib|arff)$")
GRADED_DATA_FINGERPRINTS = {
    (57523, "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"),
    (264712, "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8"),
}
# Only files with these endings are compared by size (a stat each); others are not data.
DATA_SUFFIXES = (".csv", ".gz", ".npz", ".npy", ".txt", ".zip", ".bz2", ".xz", ".pkl", ".joblib", ".dat", ".data")
CODE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")
PACKAGE_DIR_NAMES = ("site-packages", "dist-packages")
# Bump when what the scan records changes, so that old cache files are ignored.
SCAN_VERSION = 1


class ProtectedFolderMounted(InfrastructureError):
    """The sandbox would mount a folder that holds (or lies inside) the hidden graders."""


@dataclass(frozen=True)
class Runtime:
    """The Python runtime a sandbox runs: what must be mounted for it to start and import.

    ``executable`` is spelt as the sandbox must call it (a venv's bin/python, not the binary it
    links to: Python finds the venv's pyvenv.cfg beside the path it was started as).
    """

    executable: str
    import_dirs: tuple[str, ...]
    files: tuple[str, ...]

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def of(python=None):
        """The runtime of the interpreter ``python`` (this one by default), asked in a child."""
        python = python or sys.executable
        try:
            done = subprocess.run(
                [python, "-I", "-S", "-c", DESCRIBE_RUNTIME], capture_output=True, text=True, timeout=60, check=True
            )
            found = json.loads(done.stdout)
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            raise InfrastructureError(f"cannot learn what the Python runtime {python} needs: {exc}") from None
        return Runtime(found["executable"], tuple(found["import_dirs"]), tuple(found["files"]))


# Run by the runtime's own interpreter with -I -S, so that sys.path is the interpreter's own
# (stdlib, lib-dynload) before site adds the site-packages folders: the folders that .pth
# files add (an old-style editable install adds a whole checkout) are not part of it.
DESCRIBE_RUNTIME = r"""
import glob, json, os, site, sys, sysconfig
core = [p for p in sys.path if p]
site.venv(None)  # -S skipped it: it makes getsitepackages() answer for a venv
files = []
here = os.path.dirname(sys.executable)
for folder in (here, os.path.dirname(here)):
    if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
        files.append(os.path.join(folder, "pyvenv.cfg"))
        break
libdir = sysconfig.get_config_var("LIBDIR") or ""
if sysconfig.get_config_var("Py_ENABLE_SHARED") and os.path.isdir(libdir):
    files += glob.glob(os.path.join(libdir, "*.so")) + glob.glob(os.path.join(libdir, "*.so.*"))
try:
    with open("/proc/self/maps") as maps:
        files += [f for f in (line.split(None, 5)[-1].strip() for line in maps) if f.startswith("/") and ".so" in f]
except OSError:
    pass
print(json.dumps({"executable": sys.executable, "import_dirs": core + site.getsitepackages(), "files": files}))
"""


@dataclass(frozen=True)
class MountPlan:
    """Host paths a container sees: ``binds`` read-only at the same path, minus ``hidden``."""

    executable: str
    binds: tuple[str, ...]
    hidden_dirs: tuple[str, ...]
    hidden_files: tuple[str, ...]


def plan_mounts(runtime, forbidden=(), protected=(), cache_dir=None):
    """The mount plan for ``runtime``, without ``forbidden`` modules, refusing ``protected``."""
    binds = runtime_binds(runtime)
    refuse_protected(binds, protected)
    inventory = load_inventory([b for b in binds if os.path.isdir(b)], runtime.import_dirs, cache_dir)
    hidden = inventory["data"] + forbidden_paths(forbidden, inventory["package_dirs"], inventory["dists"])
    hidden = _outermost(p for p in hidden if os.path.lexists(p) and _visible(p, binds))
    return MountPlan(
        executable=runtime.executable,
        binds=tuple(binds),
        hidden_dirs=tuple(p for p in hidden if os.path.isdir(p)),
        hidden_files=tuple(p for p in hidden if not os.path.isdir(p)),
    )


# ---------------------------------------------------------------------------------------------
# What to mount


def runtime_binds(runtime):
    """Host paths to bind read-only at the same path: system folders, then the runtime's own."""
    binds = [p for p in (*SYSTEM_DIRS, *SYSTEM_FILES) if os.path.exists(p)]
    needed = [os.path.abspath(runtime.executable), *runtime.import_dirs, *runtime.files]
    for path in dict.fromkeys(os.path.abspath(p) for p in needed if os.path.exists(p)):
        # Python uses the path as spelt. A bind of it shows its target's content; a path that
        # is visible already, as a symlink inside a bind, needs its target visible too.
        if not _visible(path, binds):
            binds.append(path)
        elif not _visible(os.path.realpath(path), binds):
            binds.append(os.path.realpath(path))
    return _outermost(binds)


def _visible(path, binds):
    """Whether ``path`` is inside a bind, seen from the container (whose /lib is /usr/lib)."""
    for link, target in IMAGE_SYMLINKS.items():
        if _inside(path, link):
            path = target + path[len(link) :]
    return any(_inside(path, b) for b in binds)


def refuse_protected(binds, protected):
    """Raise ProtectedFolderMounted if a protected folder and a bind overlap (either way)."""
    for folder in protected:
        secret = os.path.realpath(folder)
        for bind in binds:
            real = os.path.realpath(bind)
            if _inside(secret, real) or _inside(real, secret):
                where = "lies inside" if _inside(secret, real) else "holds"
                raise ProtectedFolderMounted(
                    f"refusing to grade: the hidden graders folder {folder} {where} {real}, which the sandbox "
                    f"mounts for the Python runtime, so student code could read the graders; keep the course "
                    f"content outside the Python installation (beside the virtual environment, not inside it)"
                )


# ---------------------------------------------------------------------------------------------
# Forbidden packages


def forbidden_paths(forbidden, package_dirs, dists):
    """Paths to hide so that the modules ``forbidden`` (``sklearn``, ``scipy.cluster``) are absent
    from every folder of packages: the runtime's import folders, and any site-packages or
    dist-packages folder under the mounts (another installation's compiled packages load just
    as well through a path-based loader)."""
    hidden = []
    for name in forbidden:
        parts = name.split(".")
        for folder in package_dirs:
            hidden += _module_paths(os.path.join(folder, *parts[:-1]), parts[-1])
            if len(parts) == 1:
                hidden += [p for top, p in dists.get(folder, []) if top == name]
    return hidden


def _module_paths(folder, name):
    """The package folder ``name`` in ``folder``, or its single-file module and extensions."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    found = [os.path.join(folder, name)] if name in entries and os.path.isdir(os.path.join(folder, name)) else []
    # name.py, name.pyc, name.cpython-311-x86_64-linux-gnu.so, name.abi3.so ...
    found += [os.path.join(folder, e) for e in entries if e.startswith(name + ".") and e.endswith(CODE_SUFFIXES)]
    # A single-file module's compiled copy loads on its own (SourcelessFileLoader).
    cache = os.path.join(folder, "__pycache__")
    try:
        found += [os.path.join(cache, e) for e in os.listdir(cache) if e.startswith(name + ".") and e.endswith(".pyc")]
    except OSError:
        pass
    return found


def distribution_companions(folder):
    """[top-level module, path] pairs: each distribution's .dist-info/.egg-info and .libs
    folders, by the top-level modules it provides (scikit-learn provides sklearn)."""
    pairs = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return pairs
    for entry in entries:
        if entry.endswith((".dist-info", ".egg-info")):
            info = os.path.join(folder, entry)
            tops, libs = _distribution_tops(info)
            companions = [info] + [os.path.join(folder, lib) for lib in libs if lib in entries]
            pairs += [[top, path] for top in tops for path in companions]
    return pairs


def _distribution_tops(info):
    """Top-level modules a distribution installed, and its auditwheel ``.libs`` folders."""
    tops, libs = set(), set()
    try:
        with open(os.path.join(info, "top_level.txt")) as lines:
            tops |= {line.strip() for line in lines if line.strip()}
    except OSError:
        pass
    try:
        with open(os.path.join(info, "RECORD")) as lines:
            for line in lines:
                first = line.split(",", 1)[0].split("/", 1)[0]
                if first.endswith(".libs"):
                    libs.add(first)
                elif first and not first.startswith(".") and not first.endswith((".dist-info", ".data")):
                    tops.add(first.split(".", 1)[0])
    except OSError:
        pass
    return sorted(tops - {"__pycache__", ""}), sorted(libs)


# ---------------------------------------------------------------------------------------------
# Graded data sets, and the cached inventory of the mounted folders


def load_inventory(roots, import_dirs, cache_dir=None):
    """What a walk of ``roots`` finds (cached while the watched folders are unchanged):
    ``data``: paths to hide that hold graded data; ``package_dirs``: site-packages and
    dist-packages folders; ``dists``: {package folder: [[top-level module, companion], ...]}."""
    path = _cache_file(roots, import_dirs, cache_dir)
    cached = _read_cache(path)
    if cached is not None:
        return cached
    inventory = scan(roots, import_dirs)
    _write_cache(path, inventory)
    return inventory


def scan(roots, import_dirs):
    """Walk ``roots`` once: graded data copies, package folders, distributions' companions."""
    named, sized, package_dirs = [], [], []
    sizes = {size for size, _ in GRADED_DATA_FINGERPRINTS}
    stack = list(roots)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
                if entry.name in PACKAGE_DIR_NAMES:
                    package_dirs.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                lower = entry.name.lower()
                if GRADED_DATA_NAME.fullmatch(lower):
                    named.append(entry.path)
                elif lower.endswith(DATA_SUFFIXES) and _size(entry) in sizes:
                    sized.append(entry.path)
    copies = named + _same_content(sized, {_fingerprint(p) for p in named} | GRADED_DATA_FINGERPRINTS)
    package_dirs += [p for p in roots if os.path.basename(p) in PACKAGE_DIR_NAMES]
    # The runtime's import folders as spelt and as resolved: a symlinked one is mounted twice.
    package_dirs += [q for p in import_dirs if os.path.isdir(p) for q in (os.path.abspath(p), os.path.realpath(p))]
    package_dirs = sorted(set(package_dirs))
    dists = {folder: distribution_companions(folder) for folder in package_dirs}
    data = sorted({_hiding_place(p, roots) for p in copies})
    watched = sorted({*roots, *package_dirs, *(os.path.dirname(p) for p in data)})
    return {"data": data, "package_dirs": package_dirs, "dists": dists, "watched": _mtimes(watched)}


def _size(entry):
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:
        return -1


def _fingerprint(path):
    try:
        with open(path, "rb") as f:
            return os.fstat(f.fileno()).st_size, hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def _same_content(paths, fingerprints):
    return [p for p in paths if _fingerprint(p) in fingerprints]


def _hiding_place(path, roots):
    """The folder of a data copy when it holds data only (scikit-learn's datasets/data), else
    the file itself: hiding a folder of code would break the package it belongs to."""
    folder = os.path.dirname(path)
    if folder in roots:
        return path
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return path
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
            return path
        if entry.name.endswith(CODE_SUFFIXES) and not entry.name.startswith("__init__."):
            return path
    return folder


def _mtimes(folders):
    """{folder: mtime} for each folder and its subfolders: a package installed, a file added
    to a package's top folder or to a data folder changes one of them."""
    times = {}
    for folder in folders:
        try:
            times[folder] = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as entries:
                for entry in entries:
                    # Compiled bytecode comes and goes as modules are first imported: not data.
                    if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                        times[entry.path] = entry.stat(follow_symlinks=False).st_mtime_ns
        except OSError:
            times[folder] = None
    return times


def _unchanged(watched):
    for folder, mtime in watched.items():
        try:
            if os.stat(folder).st_mtime_ns != mtime:
                return False
        except OSError:
            if mtime is not None:
                return False
    return True


def _cache_file(roots, import_dirs, cache_dir):
    base = cache_dir or os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(json.dumps([SCAN_VERSION, sorted(roots), list(import_dirs)]).encode()).hexdigest()[:24]
    return os.path.join(base, "mlgrade", f"sandbox-inventory-{key}.json")


def _read_cache(path):
    try:
        with open(path) as f:
            inventory = json.load(f)
    except (OSError, ValueError):
        return None
    keys = ("data", "package_dirs", "dists", "watched")
    if not isinstance(inventory, dict) or any(k not in inventory for k in keys):
        return None
    return inventory if _unchanged(inventory["watched"]) else None


def _write_cache(path, inventory):
    """Best effort: a machine whose cache folder is read-only walks each time."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "w") as f:
            json.dump(inventory, f)
        os.replace(temporary, path)
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _outermost(paths):
    """The paths, without any that lies inside another (its parent's mount already covers it)."""
    kept = []
    for path in sorted(set(paths)):
        if not any(_inside(path, k) for k in kept):
            kept.append(path)
    return kept
