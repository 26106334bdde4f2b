"""Finding forbidden imports in a submission's source, without running it."""

import ast


def forbidden_imports(source, forbidden, filename="solution.py"):
    """``[(module, line)]`` for each import of a forbidden module (or a submodule of one).

    Catches ``import x``, ``from x import y``, and ``__import__("x")`` or
    ``importlib.import_module("x")`` with a literal name. The sandbox also refuses these
    modules at run time, which catches names built at run time.
    """
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError:
        return []  # the import step reports the syntax error itself
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from scipy import cluster` imports the submodule scipy.cluster.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names = [first.value]
        for name in names:
            for banned in forbidden:
                if name == banned or name.startswith(banned + "."):
                    found.append((banned, node.lineno))
    return sorted(set(found), key=lambda item: item[1])


def _is_dynamic_import(func):
    if isinstance(func, ast.Name):
        return func.id == "__import__"
    return isinstance(func, ast.Attribute) and func.attr == "import_module"
