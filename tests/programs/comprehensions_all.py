"""List, set, dict and generator comprehensions, nested and multi-line."""

matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print(matrix)
transposed = [[row[i] for row in matrix] for i in range(3)]
print(transposed)
flat = [x for row in matrix for x in row if x % 2 == 0]
print(flat)
evens = {x % 5 for x in range(20) if not x % 2}
print(sorted(evens))
index = {word: len(word) for word in ["kiwi", "fig", "banana"] if "i" in word}
print(index)
inverted = {
    value: key
    for key, value in index.items()
    if value > 3
}
print(inverted)
total = sum(
    a * b
    for a in range(4)
    for b in range(a)
    if (a + b) % 2
)
print(total)
grid = {(i, j): i * j for i in range(3) for j in range(3) if i <= j}
print(sorted(grid.items())[:4])
nested_sets = [sorted({c for c in w}) for w in ("aab", "xyzx")]
print(nested_sets)
empty = [x for x in range(0)]
print(empty, [y for y in [] if y])
labels = [
    "big" if n > 5 else "small" if n > 2 else "tiny"
    for n in (1, 3, 9)
]
print(labels)
