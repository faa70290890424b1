"""The beam search of CTCBeamSearchDecoder (minitf/ops/ctc_ops.py) for one batch entry, step
by step as TF's CTCBeamSearchDecoder: each beam (a prefix of labels, a node of a trie) carries
the log probabilities of ending in a blank, in its last label, and in either, now (`new`) and
one step before (`old`); the beams live in a TopN (minitf/ops/_ctc_topn.py) of `beam_width`,
so that equal probabilities are kept, dropped and ordered as TF's are. A beam dropped as the
bottom, then met again as a child that is no candidate, loses its old probabilities too: it
grows no children that step (TF's order of updates, kept).
"""
import numpy as np

from minitf.ops._ctc_topn import TopN

_NEG_INF = -np.inf


class _Beam:
    __slots__ = ("parent", "label", "children", "new", "old")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.new = self.old = (_NEG_INF, _NEG_INF, _NEG_INF)  # (blank, label, total)

    def active(self):
        return self.new[2] != _NEG_INF

    def labels(self, merge_repeated):
        out, beam = [], self
        while beam.parent is not None:
            out.append(beam.label)
            beam = beam.parent
        out.reverse()
        return [c for i, c in enumerate(out)
                if not merge_repeated or i == 0 or c != out[i - 1]]


def _better(a, b):
    return a.new[2] > b.new[2]


def _lse(a, b):
    return np.logaddexp(a, b)


def _extend_beams(branches, leaves, lp, blank):
    """Each beam's probabilities one step on, as TF updates them (in the beams' order)."""
    for b in branches:
        old_blank, label, total = b.old
        label = b.new[1]
        if b.parent is not None:
            if b.parent.active():
                p = b.parent.old
                label = _lse(label, p[0] if b.label == b.parent.label else p[2])
            label = label + lp[b.label]
        to_blank = total + lp[blank]
        b.new = (to_blank, label, _lse(to_blank, label))
        leaves.push(b)


def _grow(branches, leaves, lp, blank, beam_width):
    """New beams: each beam extended by each label, pushed in TF's order."""
    def bottom():
        return leaves.peek_bottom().new[2] if len(leaves) == beam_width else _NEG_INF

    for b in branches:
        old_blank, _, total = b.old
        if not (total > _NEG_INF and total > bottom()):
            continue
        # the extensions' probabilities at once; those above the bottom now, or naming an
        # existing beam, are then taken in order
        scores = lp[:blank] + np.where(np.arange(blank) == b.label, old_blank, total)
        for c in np.flatnonzero((scores > bottom()) | np.isin(np.arange(blank),
                                                               list(b.children))):
            child = b.children.get(c) or b.children.setdefault(c, _Beam(b, int(c)))
            if child.active():
                continue
            score = scores[c]
            if score > _NEG_INF and score > bottom():
                if len(leaves) == beam_width:
                    leaves.peek_bottom().new = (_NEG_INF,) * 3
                child.new = (_NEG_INF, score, score)
                leaves.push(child)
            else:
                child.new = child.old = (_NEG_INF,) * 3


def beam_search(logits, beam_width, top_paths, merge_repeated, fail):
    """The `top_paths` best label sequences of `logits` ([time, classes], the last class the
    blank) and their log probabilities; `fail(message)` raises TF's errors."""
    blank = logits.shape[1] - 1
    zero = logits.dtype.type(0)
    root = _Beam(None, -1)
    root.new = (zero, _NEG_INF, zero)
    leaves = TopN(beam_width, _better)
    leaves.push(root)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for row in logits:
            top = row.max()
            lp = row - (top + np.log(np.exp(row - top).sum()))
            branches = leaves.extract()
            leaves = TopN(beam_width, _better)
            for b in branches:
                b.old = b.new
            _extend_beams(branches, leaves, lp, blank)
            _grow(branches, leaves, lp, blank, beam_width)
    if top_paths > beam_width:
        fail("requested more paths than the beam width.")
    if top_paths > len(leaves):
        fail("Less leaves in the beam search than requested.")
    best = TopN(top_paths, _better)
    for b in leaves.items:
        best.push(b)
    best = best.extract()
    return ([b.labels(merge_repeated) for b in best],
            np.array([b.new[2] for b in best], logits.dtype))
