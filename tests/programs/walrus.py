"""Assignment expressions in while, if, comprehensions and calls."""
import re

data = [4, 8, 15, 16, 23, 42]
if (n := len(data)) > 5:
    print(f"{n} items")
chunks = iter(range(10))
while (chunk := next(chunks, None)) is not None:
    if chunk > 3:
        break
print("stopped at", chunk)
squares = [y for x in data if (y := x * x) > 100]
print(squares, y)
pattern = re.compile(r"(\w+)=(\d+)")
for line in ["a=1", "junk", "bb=22"]:
    if (m := pattern.match(line)) is not None:
        print(m.group(1), int(m.group(2)))
    else:
        print("no match", line)
print(max(total := sum(data), 0), total)
running = 0
sums = [running := running + v for v in data]
print(sums)
