raise RuntimeError("model weights file missing")
