"""Exercise 09: customer segmentation with RFM features and clustering.

Allowed: numpy, pandas, scikit-learn and the standard library. See README.md for the task,
the data and the rubric. Keep the names and signatures below exactly: the grader calls them.
"""

import numpy as np


def rfm_features(customer_id, day, amount, ref_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Recency, frequency and monetary value of every customer in a transactions table.

    Parameters
    ----------
    customer_id : (n_transactions,) int64 array, the customer of each transaction
    day : (n_transactions,) int64 array, the day of each transaction
    amount : (n_transactions,) float64 array, the amount of each transaction
    ref_day : int, the day the analysis is made (no transaction is later)

    Returns
    -------
    ids : (n_customers,) the distinct customer ids, ascending
    features : (n_customers, 3) float64, row i for customer ids[i]:
        recency = ref_day - day of the customer's last purchase,
        frequency = number of transactions,
        monetary = mean amount per transaction
    """
    raise NotImplementedError


def choose_k(features: np.ndarray, k_min: int = 2, k_max: int = 8, seed: int = 0) -> int:
    """The number of customer segments in ``features``, between k_min and k_max inclusive.

    ``features`` is a raw RFM table as ``rfm_features`` returns it (days, counts, money):
    transforming and scaling it is this function's job.
    """
    raise NotImplementedError


def segment(features: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Cluster the customers of a raw RFM table into ``k`` segments.

    Returns (n_customers,) int64 labels using exactly k distinct values. ``features`` is raw
    (days, counts, money): transforming and scaling it is this function's job, and the
    partition must not depend on the currency unit of the amounts.
    """
    raise NotImplementedError
