# Appended to the reference of 01-mlp-classifier: the module prints 200,000 characters while it
# is imported (more than the 64 KiB a call's output keeps), then fails.
print("import-time diagnostics: " + "x" * 200_000)
raise RuntimeError("no GPU found")
