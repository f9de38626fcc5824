#!/usr/bin/env python3
"""Writes statistics.expected: paired t-tests (scipy.stats.ttest_rel) and exact paired
randomization tests (scipy.stats.permutation_test over every sign assignment) on fixed inputs.
Format per case: `case<TAB>a values,<TAB>b values<TAB>t<TAB>t-test p<TAB>exact randomization p`."""
import numpy as np
from scipy import stats

cases = {
    "clear-win": ([0.42, 0.51, 0.33, 0.62, 0.48, 0.55, 0.39, 0.61, 0.47, 0.58],
                  [0.35, 0.44, 0.30, 0.50, 0.41, 0.49, 0.36, 0.52, 0.40, 0.50]),
    "noise": ([0.30, 0.52, 0.11, 0.80, 0.45, 0.27, 0.66, 0.38],
              [0.35, 0.47, 0.15, 0.71, 0.50, 0.30, 0.60, 0.42]),
    "with-ties": ([1.0, 0.5, 0.0, 0.25, 0.75, 1.0, 0.5, 0.0, 0.2, 0.9, 0.3],
                  [1.0, 0.4, 0.0, 0.25, 0.50, 0.8, 0.5, 0.1, 0.2, 0.6, 0.3]),
    "small": ([0.9, 0.1, 0.5], [0.2, 0.3, 0.1]),
}
with open("statistics.expected", "w") as out:
    for name, (a, b) in cases.items():
        a, b = np.array(a), np.array(b)
        t = stats.ttest_rel(a, b)
        d = a - b
        perm = stats.permutation_test((d,), np.mean, permutation_type="samples", alternative="two-sided",
                                      n_resamples=np.inf)
        out.write("\t".join([name, ",".join(map(repr, a.tolist())), ",".join(map(repr, b.tolist())),
                             repr(float(t.statistic)), repr(float(t.pvalue)), repr(float(perm.pvalue))]) + "\n")
