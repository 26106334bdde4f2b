import numpy as np


class MLP:
    def __init__(self, n_inputs, n_hidden, n_classes, seed=0)
        self.params = {}
