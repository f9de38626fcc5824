#!/usr/bin/env python3
"""Fits the page classifier's data files on the development split of the labeled pages:
Catalog/category-lexicon.tsv (the WordNet lexicon of make_lexicon.py with each entry weighed by how
it did on labeled pages) and Catalog/category-calibration.tsv (the logistic model that turns a
category's evidence into a probability, CategoryCalibration.swift, and the default sensitive
threshold).

Usage: fit_classifier.py DEV.jsonl [CTXSEL]
  DEV.jsonl  the development pages (Corpus/understanding/make_pages.py writes runs/understanding/dev.jsonl)
  CTXSEL     the ctxsel binary (default .build/release/ctxsel)
Reads runs/classifier/wordnet-lexicon.tsv (make_lexicon.py).

Entry weights: an entry e of category c that occurs on n development pages, k of them labeled c
(or a descendant of c), keeps its WordNet weight times (k + 1) / (n + 2) / 0.5 (capped at 1): an entry
never seen keeps its weight; "file" under Law, found on many software pages and few law pages, loses
most of it. Entries under 0.05 are dropped. The hand lexicon's entries (make_lexicon.py adds them at
weight 1) are weighed the same way.

A (page, category) pair is positive when the category, or a descendant of it, is among the page's
labeled categories or sensitive rows. Every category with evidence on a page is a sample. The fit
is L2-regularised logistic regression (Newton's method, numpy). The sensitive threshold is the
highest one at which sensitive development pages are still found with recall ≥ 0.90 by models that
did not see them (5-fold cross-validation of both steps): missing a sensitive page costs more
than a false alarm (PRIVACY.md).
"""
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
from collections import defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGET_RECALL = 0.90
L2 = 1.0
FOLDS = 5
SEED = 20261207


def ancestors(taxonomy_path):
    rows = list(csv.reader(open(taxonomy_path, encoding="utf-8"), delimiter="\t"))[2:]
    parent = {r[0]: r[1] for r in rows}
    sensitive = {r[0] for r in rows if r[3] == "Sensitive Topics" or (len(r) > 7 and "SCD" in r[7])}

    def chain(node):
        out = []
        while node:
            out.append(node)
            node = parent.get(node)
        return out
    return chain, sensitive


def fit(x, y):
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * L2
    penalty[0, 0] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def features_of(ctxsel, folder, dev):
    out = subprocess.run([ctxsel, "classify", "--classifier", folder, "--features", dev],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


def entry_keys(ctxsel, folder):
    """Lexicon text → the analysed terms it matches (entries of one key share their statistics:
    "parenting" matches what "parent" matches)."""
    out = subprocess.run([ctxsel, "classify", "--classifier", folder, "--entries"], capture_output=True, text=True, check=True).stdout
    keys = {}
    for line in out.splitlines():
        fields = line.split("\t")
        for text in fields[1:]:
            keys[text] = fields[0]
    return keys


def reweigh(raw_path, out_path, rows, labels, keys):
    seen, hits = defaultdict(int), defaultdict(int)
    for row in rows:
        page, category, evidence = row[0], row[1], row[-1]
        for item in evidence.split("|") if evidence else []:
            entry = item.rsplit("=", 1)[0]
            seen[(category, entry)] += 1
            if category in labels[page][0]:
                hits[(category, entry)] += 1
    kept = dropped = 0
    with open(raw_path, encoding="utf-8") as raw, open(out_path, "w", encoding="utf-8") as out:
        for line in raw:
            if line.startswith("#"):
                if not line.startswith("#seeds"):
                    out.write(line)
                continue
            category, weight, entry = line.rstrip("\n").split("\t")
            key = keys.get(entry, entry)
            n, k = seen.get((category, key), 0), hits.get((category, key), 0)
            adjusted = min(1.0, float(weight) * (k + 1) / (n + 2) / 0.5)
            if adjusted < 0.05:
                dropped += 1
                continue
            kept += 1
            out.write(f"{category}\t{adjusted:.3f}\t{entry}\n")
    return kept, dropped


def features(rows):
    """The feature matrix of `classify --features` rows (page, category, features…, evidence)."""
    return np.array([[float(v) for v in row[2:-1]] for row in rows])


def samples(rows, labels):
    y = np.array([1.0 if row[1] in labels[row[0]][0] else 0.0 for row in rows])
    return features(rows), y


def probabilities(w, x):
    return 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))


def train(ctxsel, folder, raw_lexicon, lexicon_out, pages_path, labels):
    """Weighs the raw lexicon and fits the calibration on the pages of pages_path: returns the
    calibration weights (bias first) and the feature names."""
    shutil.copy(raw_lexicon, os.path.join(folder, "category-lexicon.tsv"))
    _, rows = features_of(ctxsel, folder, pages_path)
    kept, dropped = reweigh(raw_lexicon, lexicon_out, rows, labels, entry_keys(ctxsel, folder))
    shutil.copy(lexicon_out, os.path.join(folder, "category-lexicon.tsv"))
    header, rows = features_of(ctxsel, folder, pages_path)
    x, y = samples(rows, labels)
    return fit(x, y), header[2:-1], (kept, dropped, len(y), int(y.sum()))


def page_scores(rows, w, sensitive_rows):
    """Each page's most probable sensitive row."""
    best = {}
    for row, probability in zip(rows, probabilities(w, features(rows))):
        if row[1] in sensitive_rows:
            best[row[0]] = max(best.get(row[0], 0.0), probability)
    return best


def threshold_for_recall(scores, truth):
    positives = sum(truth.values())
    for candidate in sorted({round(v, 3) for v in scores.values()}, reverse=True):
        if sum(1 for page, v in scores.items() if truth[page] and v >= candidate) / positives >= TARGET_RECALL:
            return candidate
    return 0.0


def precision_recall(scores, truth, threshold):
    flagged = [page for page in truth if scores.get(page, 0.0) >= threshold]
    tp = sum(truth[page] for page in flagged)
    return tp / max(1, len(flagged)), tp / max(1, sum(truth.values()))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    dev = sys.argv[1]
    ctxsel = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, ".build", "release", "ctxsel")
    catalog = os.path.join(ROOT, "Catalog")
    work = os.path.join(ROOT, "runs", "classifier")
    raw_lexicon = os.path.join(work, "wordnet-lexicon.tsv")
    chain, sensitive_rows = ancestors(os.path.join(catalog, "content-taxonomy-3.1.tsv"))
    labels, lines = {}, {}
    for line in open(dev, encoding="utf-8"):
        page = json.loads(line)
        positive = set()
        for category in page.get("categories", []) + page.get("sensitive_rows", []):
            positive.update(chain(category))
        labels[page["id"]] = (positive, page["sensitive"])
        lines[page["id"]] = line
    truth = {page: label[1] for page, label in labels.items()}
    folder = os.path.join(work, "fit")
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(catalog, "content-taxonomy-3.1.tsv"), folder)

    # The sensitive threshold comes from pages each fold's model never saw (5-fold, seeded): the
    # entry weights and the calibration are fitted on the data they would otherwise flatter.
    order = sorted(labels)
    random.Random(SEED).shuffle(order)
    held_out_scores = {}
    for k in range(FOLDS):
        held_out = set(order[k::FOLDS])
        train_path, test_path = os.path.join(work, "fold-train.jsonl"), os.path.join(work, "fold-test.jsonl")
        with open(train_path, "w", encoding="utf-8") as train_file, open(test_path, "w", encoding="utf-8") as test_file:
            for page in order:
                (test_file if page in held_out else train_file).write(lines[page])
        w, _, _ = train(ctxsel, folder, raw_lexicon, os.path.join(work, "fold-lexicon.tsv"), train_path, labels)
        _, rows = features_of(ctxsel, folder, test_path)
        held_out_scores.update(page_scores(rows, w, sensitive_rows))
    threshold = threshold_for_recall(held_out_scores, truth)
    cv_precision, cv_recall = precision_recall(held_out_scores, truth, threshold)

    w, names, (kept, dropped, count, positives) = train(ctxsel, folder, raw_lexicon,
                                                        os.path.join(catalog, "category-lexicon.tsv"), dev, labels)
    print(f"lexicon: {kept} entries kept, {dropped} dropped; calibration: {count} samples, {positives} positive; "
          f"sensitive threshold {threshold}: {FOLDS}-fold held-out precision {cv_precision:.3f} recall {cv_recall:.3f}",
          file=sys.stderr)
    with open(os.path.join(catalog, "category-calibration.tsv"), "w", encoding="utf-8") as out:
        out.write("# Calibration of the page classifier (CategoryCalibration.swift), fitted by Catalog/tools/fit_classifier.py\n")
        out.write(f"# on {len(labels)} development pages (Corpus/understanding, split dev): {count} (page, category) samples.\n")
        out.write(f"# sensitive_threshold: the highest at which {FOLDS}-fold held-out development pages keep recall >= {TARGET_RECALL}\n")
        out.write(f"# (there: precision {cv_precision:.3f}, recall {cv_recall:.3f}).\n")
        out.write("# features: " + " ".join(names) + "\n")
        out.write(f"bias\t{w[0]:.6f}\n")
        out.write("weights\t" + "\t".join(f"{v:.6f}" for v in w[1:]) + "\n")
        out.write("category_threshold\t0.5\n")
        out.write(f"sensitive_threshold\t{threshold}\n")


if __name__ == "__main__":
    main()
