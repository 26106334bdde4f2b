"""What the sandbox says about a torch model's structure: feedback, never points."""

import sys


def describe(obj):
    """Layer types and parameter count of the torch modules an object is or holds.

    Looks through attributes, lists, tuples and dicts, three levels deep: a trained model is
    often kept inside a small wrapper object or a dict.
    """
    torch = sys.modules.get("torch")
    roots = _modules_in(obj, torch, depth=3, seen=set()) if hasattr(torch, "nn") else []
    layers = sorted({type(m).__name__ for root in roots for m in root.modules()})
    params = {id(p): p.numel() for root in roots for p in root.parameters()}
    return {"layers": layers, "parameters": int(sum(params.values())), "modules": [type(m).__name__ for m in roots]}


def _modules_in(obj, torch, depth, seen):
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, torch.nn.Module):
        return [obj]
    if depth == 0:
        return []
    if isinstance(obj, dict):
        children = list(obj.values())
    elif isinstance(obj, (list, tuple)):
        children = list(obj)
    else:
        children = list(vars(obj).values()) if hasattr(obj, "__dict__") else []
    return [m for child in children for m in _modules_in(child, torch, depth - 1, seen)]
