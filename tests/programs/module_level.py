"""Only module-level code: loops, conditionals and expressions."""
import math

limit = 30
primes = []
for candidate in range(2, limit):
    for p in primes:
        if p * p > candidate:
            primes.append(candidate)
            break
        if candidate % p == 0:
            break
    else:
        primes.append(candidate)
print(primes)
if len(primes) > 100:
    print("too many")
elif len(primes) > 5:
    print("several primes")
else:
    print("few primes")
angle = math.pi / 6
print(round(math.sin(angle), 6))
counter = 0
while counter < 5:
    counter += 2
print("counter", counter)
words = "the quick brown fox jumps over the lazy dog".split()
lengths = {}
for w in words:
    lengths.setdefault(len(w), []).append(w)
print(sorted(lengths.items()))
