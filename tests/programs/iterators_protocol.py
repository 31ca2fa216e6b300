"""Iterator, sequence and container protocols implemented by classes."""


class Range2:
    def __init__(self, start, stop):
        self.start, self.stop = start, stop

    def __iter__(self):
        return Range2Iterator(self.start, self.stop)

    def __len__(self):
        return max(0, self.stop - self.start)

    def __contains__(self, item):
        return self.start <= item < self.stop

    def __getitem__(self, idx):
        if not 0 <= idx < len(self):
            raise IndexError(idx)
        return self.start + idx


class Range2Iterator:
    def __init__(self, cur, stop):
        self.cur, self.stop = cur, stop

    def __iter__(self):
        return self

    def __next__(self):
        if self.cur >= self.stop:
            raise StopIteration
        value = self.cur
        self.cur += 1
        return value


class OldStyleSeq:
    def __getitem__(self, idx):
        if idx >= 3:
            raise IndexError
        return idx * 100


r = Range2(3, 7)
print(list(r), len(r), 5 in r, 9 in r, r[1])
print(list(OldStyleSeq()), sum(r), sorted(r, reverse=True))
it = iter(r)
print(next(it), next(it), list(it))
print(list(reversed(r)))
