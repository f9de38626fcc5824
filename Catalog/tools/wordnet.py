"""A reader of the Princeton WordNet 3.0 database files as Debian's wordnet-base installs them
(/usr/share/wordnet): synsets with their lemmas, glosses and pointers, lemma → senses in
frequency order, and the tagged sense counts of cntlist.rev. Enough for the classifier builder;
no dependency beyond the standard library."""
import os
from collections import defaultdict

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}


class Synset:
    __slots__ = ("key", "pos", "lexfile", "lemmas", "lex_ids", "pointers", "gloss")

    def __init__(self, key, pos, lexfile, lemmas, lex_ids, pointers, gloss):
        self.key, self.pos, self.lexfile = key, pos, lexfile
        self.lemmas, self.lex_ids, self.pointers, self.gloss = lemmas, lex_ids, pointers, gloss

    def related(self, symbol):
        return [target for sym, target in self.pointers if sym == symbol]

    def __repr__(self):
        return f"Synset({self.lemmas[0]}.{self.pos})"


class WordNet:
    def __init__(self, root="/usr/share/wordnet"):
        if not os.path.exists(os.path.join(root, "data.noun")):
            raise SystemExit(f"WordNet not found in {root}: apt-get install wordnet-base")
        self.synsets = {}
        self.index = defaultdict(list)  # (lemma, pos) → synset keys, most frequent sense first
        for pos, name in POS_FILES.items():
            for line in open(os.path.join(root, "data." + name), encoding="latin-1"):
                if line.startswith("  "):
                    continue
                self._read_synset(pos, line)
            for line in open(os.path.join(root, "index." + name), encoding="latin-1"):
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma, synset_count, pointer_count = fields[0], int(fields[2]), int(fields[3])
                offsets = fields[4 + pointer_count + 2:]
                self.index[(lemma, pos)] = [(pos, int(offset)) for offset in offsets[:synset_count]]
        self.counts = {}
        for line in open(os.path.join(root, "cntlist.rev"), encoding="latin-1"):
            key, _, count = line.split()
            self.counts[key] = int(count)

    def _read_synset(self, pos, line):
        data, _, gloss = line.partition(" | ")
        fields = data.split()
        offset, lexfile, word_count = int(fields[0]), int(fields[1]), int(fields[3], 16)
        lemmas, lex_ids, at = [], [], 4
        for _ in range(word_count):
            word = fields[at]
            if pos == "a" and "(" in word:
                word = word[: word.index("(")]
            lemmas.append(word.lower())
            lex_ids.append(int(fields[at + 1], 16))
            at += 2
        pointer_count = int(fields[at])
        at += 1
        pointers = []
        for _ in range(pointer_count):
            symbol, target, target_pos = fields[at], int(fields[at + 1]), fields[at + 2]
            pointers.append((symbol, ("a" if target_pos == "s" else target_pos, target)))
            at += 4
        synset_pos = "a" if fields[2] == "s" else fields[2]
        self.synsets[(synset_pos, offset)] = Synset((synset_pos, offset), synset_pos, lexfile, lemmas, lex_ids,
                                                    pointers, gloss.strip())

    def senses(self, lemma, pos=None):
        """Synsets of a lemma (spaces as underscores), most frequent first."""
        lemma = lemma.lower().replace(" ", "_")
        poses = [pos] if pos else list(POS_FILES)
        return [self.synsets[key] for p in poses for key in self.index.get((lemma, p), [])]

    def named(self, spec):
        """The synset of 'lemma.pos.NN' (NN the sense number in index order, from 01)."""
        lemma, pos, number = spec.rsplit(".", 2)
        keys = self.index.get((lemma, pos), [])
        if not 1 <= int(number) <= len(keys):
            raise KeyError(spec)
        return self.synsets[keys[int(number) - 1]]

    def sense_count(self, synset, lemma):
        """Tagged occurrences of a lemma in this sense (SemCor counts, cntlist.rev), 0 when untagged."""
        at = synset.lemmas.index(lemma)
        ss_type = {"n": 1, "v": 2, "a": 3, "r": 4}[synset.pos]
        key = f"{lemma}%{ss_type}:{synset.lexfile:02d}:{synset.lex_ids[at]:02d}::"
        count = self.counts.get(key)
        if count is None and synset.pos == "a":
            count = self.counts.get(f"{lemma}%5:{synset.lexfile:02d}:{synset.lex_ids[at]:02d}::")
        return count or 0

    def closure(self, synset, symbols, limit=20000):
        """Every synset reached from synset through pointers in symbols, synset first."""
        seen, order, stack = {synset.key}, [synset], [synset]
        while stack and len(order) < limit:
            current = stack.pop()
            for symbol, target in current.pointers:
                if symbol in symbols and target not in seen and target in self.synsets:
                    seen.add(target)
                    order.append(self.synsets[target])
                    stack.append(self.synsets[target])
        return order

    def base_form(self, word, pos="n"):
        """The lemma of an inflected noun (plural) when WordNet knows it."""
        word = word.lower().replace(" ", "_")
        if (word, pos) in self.index:
            return word
        for suffix, replacement in (("ies", "y"), ("ses", "s"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
            if word.endswith(suffix) and (word[: -len(suffix)] + replacement, pos) in self.index:
                return word[: -len(suffix)] + replacement
        return None
