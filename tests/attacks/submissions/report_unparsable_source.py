# Appended to the reference of 01-mlp-classifier, with 200,000 minus signs put before the 1 by
# the test (the file would be 200 KB): an expression nested so deep that the host's
# scan of the source for forbidden imports (ast.parse) runs out of parser stack.
_deep = 1
