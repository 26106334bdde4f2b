"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
the grader's four trainings (Taxi once, FrozenLake with its three seeds) and the host's play of
their greedy policies on the hidden episodes."""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reference import q_learning

from data import episode_seeds, training_seeds
from play import FROZEN_LAKE, TAXI, frozen_lake_success, taxi_mean_return

seeds = training_seeds()
taxi = q_learning(TAXI.env_id, episodes=TAXI.episodes, alpha=TAXI.alpha, seed=seeds["taxi"])
successes = [
    frozen_lake_success(
        q_learning(FROZEN_LAKE.env_id, episodes=FROZEN_LAKE.episodes, alpha=FROZEN_LAKE.alpha, seed=seed),
        episode_seeds("frozen_lake"),
    )
    for seed in seeds["frozen_lake"]
]
print(
    f"Taxi mean return {taxi_mean_return(taxi, episode_seeds('taxi')):.2f}, "
    f"FrozenLake median success {statistics.median(successes):.3f}"
)
