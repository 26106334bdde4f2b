"""The in-process import blocker: friendly messages for forbidden imports, not their enforcement.

It shares the process with the student's code, which can remove it; what keeps a forbidden
package out is that the sandbox's filesystem does not hold it. This hook only makes the
common case (a plain ``import sklearn``) fail with a message that names the rule.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

from contract import forbidden_import_message

HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


class ImportBlocker:
    """Refuses forbidden modules, and remembers the ones the student's own code asked for.

    Libraries probe for optional modules in two ways, and both must see "not installed":
    ``find_spec(x) is None`` (torch builds its optimiser skip-list so) and
    ``if find_spec(x): import x`` (torch looks for dill so). So ``importlib.util.find_spec``
    answers None for a forbidden name, and on the import path a spec whose loader refuses
    makes an actual import raise ImportError. Only imports written in the submission count
    against it: a library's own optional import is refused, not blamed on the student.
    """

    def __init__(self, forbidden, submission_dir):
        self.forbidden = tuple(forbidden)
        self.submission_dir = submission_dir
        self.attempts = []

    def banned(self, name):
        return next((b for b in self.forbidden if name == b or name.startswith(b + ".")), None)

    def find_spec(self, name, path=None, target=None):
        banned = self.banned(name)
        return None if banned is None else importlib.machinery.ModuleSpec(name, _Refusal(self, banned))

    def install(self):
        # A module the harness itself loaded would be served from sys.modules without ever
        # reaching the blocker: forget it, so the student's import has to come through here.
        for name in list(sys.modules):
            if self.banned(name):
                del sys.modules[name]
        sys.meta_path.insert(0, self)
        probe = importlib.util.find_spec

        def find_spec(name, package=None):
            full = importlib.util.resolve_name(name, package) if name.startswith(".") else name
            return None if self.banned(full) else probe(name, package)

        importlib.util.find_spec = find_spec

    def refuse(self, banned):
        if _importer_file().startswith(self.submission_dir) and banned not in self.attempts:
            self.attempts.append(banned)
        raise ImportError(forbidden_import_message(banned))


class _Refusal(importlib.abc.Loader):
    def __init__(self, blocker, banned):
        self.blocker = blocker
        self.banned = banned

    def create_module(self, spec):
        self.blocker.refuse(self.banned)

    def exec_module(self, module):
        self.blocker.refuse(self.banned)


def _importer_file():
    """File of the code that ran the import statement (import machinery and harness skipped)."""
    frame = sys._getframe(1)
    importlib_dir = os.path.dirname(importlib.__file__)
    while frame is not None:
        name = frame.f_code.co_filename
        if not (name.startswith("<frozen importlib") or name.startswith(importlib_dir) or name.startswith(HERE)):
            return name
        frame = frame.f_back
    return ""
