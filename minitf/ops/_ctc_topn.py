"""The keep-the-best container of TF's CTC beam search (gtl::TopN), with the C++ standard
library's heap and sort steps (libstdc++'s), so that beams of equal probability are kept,
dropped and ordered as TF's kernel does. `better(a, b)` is the strict order (TF's comparer:
a's probability is greater). The items are compared by their current keys, which the beam
search may change in place (a beam dropped as the bottom), as TF's pointers do.
"""

_THRESHOLD = 16  # libstdc++'s: shorter ranges are insertion-sorted


def _push_up(a, hole, top, value, better):
    parent = (hole - 1) // 2
    while hole > top and better(a[parent], value):
        a[hole] = a[parent]
        hole, parent = parent, (parent - 1) // 2
    a[hole] = value


def _adjust(a, hole, n, value, better, lo=0):
    """libstdc++'s __adjust_heap on a[lo:lo + n]."""
    top, child = hole, hole
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if better(a[lo + child], a[lo + child - 1]):
            child -= 1
        a[lo + hole] = a[lo + child]
        hole = child
    if n % 2 == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        a[lo + hole] = a[lo + child - 1]
        hole = child - 1
    view = a[lo:lo + n]
    _push_up(view, hole, top, value, better)
    a[lo:lo + n] = view


def make_heap(a, better, lo=0, hi=None):
    hi = len(a) if hi is None else hi
    n = hi - lo
    for parent in range((n - 2) // 2, -1, -1):
        _adjust(a, parent, n, a[lo + parent], better, lo)


def pop_heap(a, better, lo=0, hi=None):
    """The heap's top moved to its end (a[hi - 1])."""
    hi = len(a) if hi is None else hi
    if hi - lo > 1:
        value = a[hi - 1]
        a[hi - 1] = a[lo]
        _adjust(a, 0, hi - 1 - lo, value, better, lo)


def push_heap(a, better):
    _push_up(a, len(a) - 1, 0, a[-1], better)


def sort_heap(a, better, lo=0, hi=None):
    hi = len(a) if hi is None else hi
    while hi - lo > 1:
        pop_heap(a, better, lo, hi)
        hi -= 1


def _insertion_sort(a, lo, hi, better):
    for i in range(lo + 1, hi):
        value = a[i]
        if better(value, a[lo]):
            a[lo + 1:i + 1] = a[lo:i]
            a[lo] = value
        else:
            j = i
            while better(value, a[j - 1]):
                a[j] = a[j - 1]
                j -= 1
            a[j] = value


def _median_to_first(a, r, x, y, z, better):
    if better(a[x], a[y]):
        m = y if better(a[y], a[z]) else z if better(a[x], a[z]) else x
    else:
        m = x if better(a[x], a[z]) else z if better(a[y], a[z]) else y
    a[r], a[m] = a[m], a[r]


def _partition(a, first, last, pivot, better):
    while True:
        while better(a[first], a[pivot]):
            first += 1
        last -= 1
        while better(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _introsort(a, lo, hi, depth, better):
    while hi - lo > _THRESHOLD:
        if depth == 0:
            make_heap(a, better, lo, hi)
            sort_heap(a, better, lo, hi)
            return
        depth -= 1
        _median_to_first(a, lo, lo + 1, lo + (hi - lo) // 2, hi - 1, better)
        cut = _partition(a, lo + 1, hi, lo, better)
        _introsort(a, cut, hi, depth, better)
        hi = cut


def std_sort(a, better):
    """libstdc++'s std::sort (introsort, then insertion sort)."""
    n = len(a)
    if n < 2:
        return
    _introsort(a, 0, n, 2 * (n.bit_length() - 1), better)
    _insertion_sort(a, 0, min(n, _THRESHOLD), better)
    for i in range(_THRESHOLD, n):  # (unguarded: a smaller item is always in front)
        value, j = a[i], i
        while better(value, a[j - 1]):
            a[j] = a[j - 1]
            j -= 1
        a[j] = value


class TopN:
    """gtl::TopN: keeps the `limit` best items pushed; its bottom (the worst) is known."""

    UNORDERED, BOTTOM_KNOWN, HEAP_SORTED = range(3)

    def __init__(self, limit, better):
        self.limit, self.better = limit, better
        self.items, self.state = [], self.UNORDERED

    def __len__(self):
        return len(self.items)

    def push(self, v):
        a, better = self.items, self.better
        if self.state != self.HEAP_SORTED:
            a.append(v)
            if len(a) == self.limit + 1:
                make_heap(a, better)
                pop_heap(a, better)
                a.pop()
                self.state = self.HEAP_SORTED
            elif self.state != self.UNORDERED and not better(a[-1], a[0]):
                a[0], a[-1] = a[-1], a[0]  # the new item is the bottom
        elif better(v, a[0]):
            pop_heap(a, better)
            a[-1] = v
            push_heap(a, better)

    def peek_bottom(self):
        a = self.items
        if self.state == self.UNORDERED:
            low = 0
            for i in range(1, len(a)):
                if self.better(a[low], a[i]):
                    low = i
            a[0], a[low] = a[low], a[0]
            self.state = self.BOTTOM_KNOWN
        return a[0]

    def extract(self):
        """The items, best first (emptying the container)."""
        out, self.items = self.items, []
        if self.state != self.HEAP_SORTED:
            std_sort(out, self.better)
        else:
            sort_heap(out, self.better)
        self.state = self.UNORDERED
        return out
