"""The static scan for forbidden imports."""

from mlgrade.grading.imports import forbidden_imports

SOURCE = """
import numpy as np
import torch.nn as nn
from scipy import cluster
from scipy import linalg
from sklearn.cluster import KMeans
mod = __import__("tensorflow")
import importlib
other = importlib.import_module("jax.numpy")
name = "dyn" + "amic"
importlib.import_module(name)
"""


def test_finds_each_form_of_a_forbidden_import_with_its_line():
    found = forbidden_imports(SOURCE, ["torch", "scipy.cluster", "sklearn", "tensorflow", "jax"])
    assert found == [("torch", 3), ("scipy.cluster", 4), ("sklearn", 6), ("tensorflow", 7), ("jax", 9)]


def test_allowed_submodules_and_prefixes_are_not_flagged():
    assert forbidden_imports("from scipy import linalg\nimport torchvision\n", ["scipy.cluster", "torch"]) == []


def test_a_syntax_error_is_left_to_the_import_step():
    assert forbidden_imports("def f(:\n", ["torch"]) == []
