#!/usr/bin/env python3
"""Writes runs/classifier/wordnet-lexicon.tsv (fit_classifier.py weighs it on labeled pages into
Catalog/category-lexicon.tsv): for every tier-1 and tier-2 row of the IAB Content Taxonomy
3.1, every row of its Sensitive Topics subtree and every SCD row, the words and phrases that name
its subject, each with a weight in (0, 1], drawn from WordNet 3.0.

Usage: make_lexicon.py [TAXONOMY_TSV] [OUTPUT]   (needs Debian's wordnet-base, PyPI's snowballstemmer)

How a row's entries are found:
  1. Seed senses. The row's name is split into phrases ("Death, Injury, or Military Conflict" →
     death, injury, military conflict); each phrase's WordNet noun sense is chosen by overlap of
     its gloss, hypernyms and domain with the words of the row's path (simplified Lesk), unless
     category-seeds.tsv beside this script names the senses by hand.
  2. Closure. The seeds' hyponyms (types and instances: every disease under "disease"), the
     members of the topic domains they head (WordNet's "medicine" domain lists surgical,
     prescription, …), and the derivational forms of the seeds (religion → religious).
  3. Weight of lemma w for row c = the share of the sense frequency of the words w matches (SemCor
     counts from cntlist.rev, plus one half per sense) that falls inside c's closure, over every
     part of speech. The engine stems entries, so a one-word entry matches every word of its
     Snowball stem: "using" matches "use", whose many common senses leave it a tiny share. "diabetes"
     has one sense, inside Medical Health: 1. "plan" is mostly a verb and a drawing: low. Lemmas
     under 0.15 are left out, and so is a lemma in the closures of more than three tier-1 rows.
  4. A tier-1 row holds its own entries and those of its descendants (the higher weight wins).
The row's own name phrases are entries too (weighed like the rest when WordNet knows them), and so
are the entries of the hand lexicon Catalog/lexicons.tsv, at weight 1.
"""
import csv
import os
import re
import sys
from collections import defaultdict

import snowballstemmer

from wordnet import WordNet

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
STOP = set("and or of the to in for a an with on by at from as its it is are be".split())
MIN_WEIGHT = 0.15


def rows_of(taxonomy_path):
    rows = list(csv.reader(open(taxonomy_path, encoding="utf-8"), delimiter="\t"))[2:]
    out = []
    for row in rows:
        row = row + [""] * (8 - len(row))
        tiers = [t for t in row[3:7] if t]
        sensitive = row[3] == "Sensitive Topics" or "SCD" in row[7]
        if len(tiers) <= 2 or sensitive:
            out.append({"id": row[0], "parent": row[1], "name": row[2], "path": tiers, "sensitive": sensitive})
    parents = {row[0]: row[1] for row in rows}
    return out, parents


def phrases(name):
    parts = re.split(r",|&| and | or |/|\(|\)", name)
    return [p.strip() for p in parts if p.strip() and p.strip().lower() not in STOP]


def words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2}


def context_of(wn, synset):
    bag = words(synset.gloss) | {w for l in synset.lemmas for w in l.split("_")}
    for hyper in wn.closure(synset, {"@", "@i"}, limit=12)[1:]:
        bag |= {w for l in hyper.lemmas for w in l.split("_")}
    for domain in synset.related(";c"):
        if domain in wn.synsets:
            bag |= {w for l in wn.synsets[domain].lemmas for w in l.split("_")}
    return bag


def seed_senses(wn, row, overrides):
    if row["id"] in overrides:
        return [wn.named(spec) for spec in overrides[row["id"]]]
    context = set()
    for tier in row["path"]:
        context |= words(tier)
    seeds = []
    for phrase in phrases(row["name"]):
        lemma = wn.base_form(phrase) or (wn.base_form(phrase.split()[-1]) if " " in phrase else None)
        if lemma is None:
            continue
        candidates = wn.senses(lemma, "n")
        if not candidates:
            continue
        own = words(phrase)
        scored = [(len((context - own) & context_of(wn, s)) - rank * 0.1, -rank, s) for rank, s in enumerate(candidates)]
        seeds.append(max(scored, key=lambda t: (t[0], t[1]))[2])
    return seeds


PERSON_LEXFILE = 18  # noun.person: a named person (Lincoln, a lawyer) says little of a page's subject
PARTICLES = {"on", "over", "out", "up", "off", "in", "down", "away", "back", "to", "through", "into", "about", "along",
             "around", "for", "with", "at", "of", "by", "from", "the", "a", "an", "and", "or", "it", "one"}


def is_instance(wn, synset):
    return any(symbol == "@i" for symbol, _ in synset.pointers)


def closure_of(wn, seeds, hand_picked):
    """Hand-picked seeds bring their whole hyponym tree; an automatically chosen one only its
    first 400 hyponyms, so that a vague name ("Outdoor Activities" → activity) stays small."""
    synsets = {}
    for seed in seeds:
        for s in wn.closure(seed, {"~", "~i"}, limit=4000 if hand_picked else 400):
            if s.lexfile != PERSON_LEXFILE or s.key == seed.key or not is_instance(wn, s):
                synsets[s.key] = s
        for s in list(wn.closure(seed, {"~"}, limit=200)):
            for member in s.related("-c"):
                if member in wn.synsets:
                    for t in wn.closure(wn.synsets[member], {"~", "~i"}, limit=50):
                        if t.lexfile != PERSON_LEXFILE or not is_instance(wn, t):
                            synsets[t.key] = t
        for lemma_pointer in seed.related("+"):
            if lemma_pointer in wn.synsets:
                synsets[lemma_pointer] = wn.synsets[lemma_pointer]
    return synsets


def stem_groups(wn):
    """Single-word lemmas by their Snowball (Porter2) stem, as the engine's analyzer stems them:
    an entry matches every word of its stem, so its weight is shared among them."""
    stemmer = snowballstemmer.stemmer("english")
    groups = defaultdict(set)
    for lemma, _ in wn.index:
        if "_" not in lemma and "-" not in lemma:
            groups[stemmer.stemWord(lemma)].add(lemma)
    return stemmer, groups


def sense_share(wn, lemma, closure, stems):
    """The share of the sense frequency of the words an entry matches that falls inside the
    closure; None when WordNet knows none of them."""
    stemmer, groups = stems
    # The words the entry matches: every lemma of its stem (one word), or itself (a phrase).
    matched = groups.get(stemmer.stemWord(lemma), {lemma}) if "_" not in lemma and "-" not in lemma else {lemma}
    total = inside = 0.0
    for word in matched | {lemma}:
        for s in wn.senses(word):
            weight = wn.sense_count(s, word) + 0.5
            total += weight
            if s.key in closure:
                inside += weight
    return inside / total if total else None


def weights_for(wn, closure, stems):
    out = {}
    lemmas = {l for s in closure.values() for l in s.lemmas}
    for lemma in lemmas:
        if len(lemma) < 3 or any(ch.isdigit() for ch in lemma) or lemma.count("_") > 2:
            continue
        if "_" in lemma and PARTICLES & set(lemma.split("_")):
            continue  # a phrasal verb ("operate on") is one common word once stop words go
        share = sense_share(wn, lemma, closure, stems)
        if share is not None and share >= MIN_WEIGHT:
            out[lemma.replace("_", " ")] = round(share, 3)
    return out


def main():
    taxonomy = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Catalog", "content-taxonomy-3.1.tsv")
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "runs", "classifier", "wordnet-lexicon.tsv")
    os.makedirs(os.path.dirname(output), exist_ok=True)
    wn = WordNet()
    overrides = {}
    for line in open(os.path.join(HERE, "category-seeds.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            row_id, specs = line.rstrip("\n").split("\t")[:2]
            overrides[row_id] = specs.split()
    rows, parents = rows_of(taxonomy)
    ids = {row["id"] for row in rows}
    entries = defaultdict(dict)  # row id → phrase → weight
    seeds_used = {}
    stems = stem_groups(wn)
    for row in rows:
        seeds = seed_senses(wn, row, overrides)
        seeds_used[row["id"]] = seeds
        closure = closure_of(wn, seeds, row["id"] in overrides)
        for phrase, weight in weights_for(wn, closure, stems).items():
            entries[row["id"]][phrase] = weight
        for phrase in phrases(row["name"]):
            # The row's own name is an entry; an ambiguous one ("Rowing" matches every "row" once
            # stemmed, "Parenting" every "parent") weighs what its senses inside the row do.
            lemma = phrase.lower().replace(" ", "_")
            share = sense_share(wn, wn.base_form(lemma) or lemma, closure, stems)
            weight = 1.0 if share is None else max(share, MIN_WEIGHT)
            entries[row["id"]][phrase.lower()] = max(entries[row["id"]].get(phrase.lower(), 0), round(weight, 3))
    # The hand lexicon's entries join at weight 1; fit_classifier.py weighs them on data like the rest.
    for line in open(os.path.join(ROOT, "Catalog", "lexicons.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            row_id, listed = line.rstrip("\n").split("\t", 1)
            for entry in listed.split(","):
                if entry.strip() and row_id in ids:
                    entries[row_id][entry.strip().lower()] = 1.0
    # A row holds its descendants' entries.
    for row in rows:
        ancestor = parents.get(row["id"])
        while ancestor:
            if ancestor in ids:
                for phrase, weight in entries[row["id"]].items():
                    if weight > entries[ancestor].get(phrase, 0):
                        entries[ancestor][phrase] = weight
            ancestor = parents.get(ancestor)
    # Specificity: a lemma spread over many tier-1 subjects names none of them.
    tier1_of = {}
    for row in rows:
        top = row["id"]
        while parents.get(top):
            top = parents[top]
        tier1_of[row["id"]] = top
    spread = defaultdict(set)
    for row_id, phrases_weights in entries.items():
        for phrase in phrases_weights:
            spread[phrase].add(tier1_of[row_id])
    with open(output, "w", encoding="utf-8") as out:
        out.write("# Category lexicon for ContextSelect, generated by Catalog/tools/make_lexicon.py from WordNet 3.0\n")
        out.write("# (Princeton University, WordNet 3.0 licence) and the IAB Content Taxonomy 3.1. Do not edit by hand:\n")
        out.write("# change category-seeds.tsv or the script and run it again.\n")
        out.write("# Format: category id <TAB> weight <TAB> word or phrase. Seeds per row are listed as comments.\n")
        for row in rows:
            seeds = " ".join(f"{s.lemmas[0]}({s.gloss[:40]})" for s in seeds_used[row["id"]])
            out.write(f"#seeds {row['id']} {row['name']}: {seeds}\n")
            for phrase, weight in sorted(entries[row["id"]].items()):
                if len(spread[phrase]) <= 3 or phrase in [p.lower() for p in phrases(row["name"])]:
                    out.write(f"{row['id']}\t{weight}\t{phrase}\n")


if __name__ == "__main__":
    main()
