"""while loops with break/else/continue and nested for/else."""


def first_square_above(limit):
    n = 0
    while True:
        n += 1
        if n * n > limit:
            break
    return n


def search(haystack, needle):
    i = 0
    while i < len(haystack):
        if haystack[i] == needle:
            print("found at", i)
            break
        i += 1
    else:
        print("not found", needle)


def odd_sum(limit):
    i = total = 0
    while i < limit:
        i += 1
        if i % 2 == 0:
            continue
        total += i
    return total


def find_pair(numbers, target):
    for a in numbers:
        for b in numbers:
            if a + b == target and a < b:
                break
        else:
            continue
        return a, b
    return None


print(first_square_above(50))
search("hello", "l")
search("hello", "z")
print(odd_sum(10))
print(find_pair([1, 4, 6, 9], 10), find_pair([1, 2], 100))
countdown = 3
while countdown:
    countdown -= 1
else:
    print("countdown finished")
