"""mlgrade's version, read from the installed package's metadata (pyproject.toml is its one source)."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("mlgrade")
except PackageNotFoundError:  # a checkout on sys.path without an install
    VERSION = "0+unknown"
