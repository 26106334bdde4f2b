"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
segment the hidden images and the 256x256 image, cluster the hidden colour clouds."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
from reference import kmeans, segment_image

from data import colour_clouds, runtime_image, segmentation_images

for image in segmentation_images() + (runtime_image(),):
    labels = segment_image(image.image, image.k)
for i, (X, k) in enumerate(colour_clouds()):
    centroids, labels = kmeans(X, k, n_init=10, seed=i)
print(f"last inertia {float(((X - centroids[labels]) ** 2).sum()):.1f}, {len(np.unique(labels))} clusters")
