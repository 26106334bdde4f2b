"""A grid of generated digits as a PNG, written with numpy and zlib only (no matplotlib on
the grading host needed): the instructor's look at what a submission generates."""

import struct
import zlib
from pathlib import Path

import numpy as np

SCALE = 4  # screen pixels per digit pixel
GAP = 2  # screen pixels between digits


def grid(images: np.ndarray, columns: int = 10) -> np.ndarray:
    """(N, 1, 8, 8) images in [-1, 1] -> one uint8 picture, ink dark on white like the digits."""
    images = np.nan_to_num(np.asarray(images, dtype=np.float64).reshape(-1, 8, 8), nan=0.0)
    rows = -(-len(images) // columns)
    cell = 8 * SCALE + GAP
    picture = np.full((rows * cell + GAP, columns * cell + GAP), 255, dtype=np.uint8)
    grey = np.round(255 * (1.0 - (np.clip(images, -1.0, 1.0) + 1.0) / 2.0)).astype(np.uint8)
    for i, digit in enumerate(grey):
        top, left = GAP + (i // columns) * cell, GAP + (i % columns) * cell
        picture[top : top + 8 * SCALE, left : left + 8 * SCALE] = np.kron(digit, np.ones((SCALE, SCALE), np.uint8))
    return picture


def png_bytes(picture: np.ndarray) -> bytes:
    """An 8-bit greyscale PNG of a 2-D uint8 array."""
    height, width = picture.shape
    raw = b"".join(b"\x00" + picture[row].tobytes() for row in range(height))  # filter 0 per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def save_grid(images: np.ndarray, folder: str | Path, name: str = "07-gan-digits-samples.png") -> Path:
    """Write the first 100 images as a 10 x 10 grid to ``folder/name``; returns the path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(grid(images[:100])))
    return path
