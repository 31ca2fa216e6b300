"""String methods, regular expressions and textwrap."""
import re
import textwrap

TEXT = """The rain in Spain stays mainly in the plain.
In Hartford, Hereford and Hampshire, hurricanes hardly ever happen.
"""

words = re.findall(r"\b[Hh]\w+", TEXT)
print(words)
print(re.sub(r"ain\b", "AIN", TEXT.splitlines()[0]))
counts = {}
for word in re.split(r"\W+", TEXT.lower()):
    if not word:
        continue
    counts[word] = counts.get(word, 0) + 1
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
print(textwrap.fill(TEXT.replace("\n", " "), width=30))
print("|".join(s.strip().center(12, ".") for s in ["a", " bb ", "ccc"]))
print("snake_case_name".title().replace("_", ""), "x".join("abc"), "Mississippi".count("ss"))
print(" ".join(reversed("one two three".split())), "abc"[::-1], f"{3.14159:05.1f}|{'ab':<4}|")
