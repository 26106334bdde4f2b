"""Capture of what the student's code prints: the first bytes kept, the rest counted."""

import fcntl
import os
import struct
import sys
import termios
import threading
import time


class OutputSink:
    """Keeps the first bytes the code writes to fd 1 and 2 and counts the rest.

    Reading the pipe in a thread keeps a flood of output cheap: nothing piles up on disk or
    in the container log, and the writer never blocks for long.
    """

    def __init__(self, keep):
        self.keep = keep
        self.lock = threading.Lock()
        self.kept = bytearray()
        self.total = 0
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, 1)
        os.dup2(write_fd, 2)
        os.close(write_fd)
        self.read_fd = read_fd
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        while True:
            data = os.read(self.read_fd, 1 << 16)
            if not data:
                return
            with self.lock:
                room = self.keep - len(self.kept)
                if room > 0:
                    self.kept += data[:room]
                self.total += len(data)

    def take(self):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        # Wait (briefly) for the reader to empty the pipe, so the counts cover this call.
        deadline = time.monotonic() + 2.0
        while _pending(self.read_fd) and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.001)  # the reader appends right after its read returns
        with self.lock:
            text = self.kept.decode("utf-8", "replace")
            total = self.total
            self.kept = bytearray()
            self.total = 0
        return text, total


def _pending(fd):
    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    except OSError:
        return 0
