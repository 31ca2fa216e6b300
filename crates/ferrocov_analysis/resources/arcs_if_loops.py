"""Branch analysis: if/elif/else, constant tests, for/while with else, break and continue."""
import sys


def choose(a, b):
    if a:
        x = 1
    elif b:
        x = 2
    elif a and b:
        x = 3
    else:
        x = 4
    if (a or
            b):
        x += 1
    return x


def constants():
    if True:
        a = 1
    if 0:
        a = 2
    if not False:
        a = 3
    if __debug__:
        a = 4
    if True and 1:
        a = 5
    if None or "":
        a = 6
    else:
        a = 7
    if -1:
        a = 8
    while True:
        a += 1
        if a > 10:
            break
    while 1:
        if a:
            return a
    return 0


def loops(items):
    total = 0
    for i in items:
        if i < 0:
            continue
        if i > 100:
            break
        total += i
    else:
        total = -total
    for j in range(3): total += j
    while total > 5:
        total -= 1
        if total == 7:
            break
    else:
        total = 0
    for a in items:
        for b in items:
            if a == b:
                break
        else:
            continue
        break
    return total


while len(sys.argv) > 100:
    sys.argv.pop()
else:
    pass

for k in [1,
          2]:
    print(k)

x = [
    1 if k else 2,
]
y = {
    "a": 1,
}
if x: z = 1
else: z = 2
