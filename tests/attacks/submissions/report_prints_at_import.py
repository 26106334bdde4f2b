# Appended to the reference of 01-mlp-classifier: the module prints while it is imported.
print("loading the MLP module: weights initialised")
