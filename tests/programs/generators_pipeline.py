"""A lazy data pipeline built from generators and itertools."""
import itertools

RECORDS = """\
alpha,3,red
beta,7,blue
# comment line
gamma,1,red

delta,12,green
epsilon,5,blue
"""


def read_lines(text):
    for line in text.splitlines():
        yield line.rstrip()


def skip_blank_and_comments(lines):
    return (ln for ln in lines if ln and not ln.startswith("#"))


def parse(lines):
    for ln in lines:
        name, qty, colour = ln.split(",")
        yield {"name": name, "qty": int(qty), "colour": colour}


def running_total(rows):
    total = 0
    for row in rows:
        total += row["qty"]
        yield row["name"], total


rows = list(parse(skip_blank_and_comments(read_lines(RECORDS))))
print(list(running_total(rows)))
by_colour = itertools.groupby(sorted(rows, key=lambda r: r["colour"]), key=lambda r: r["colour"])
for colour, group in by_colour:
    print(colour, [r["name"] for r in group])
print(list(itertools.islice(itertools.count(5, 5), 4)))
pairs = list(itertools.pairwise(r["qty"] for r in rows)) if hasattr(itertools, "pairwise") else []
print(pairs)
