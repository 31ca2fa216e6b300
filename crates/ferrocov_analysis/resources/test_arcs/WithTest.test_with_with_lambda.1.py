from contextlib import nullcontext
with nullcontext(lambda x: 2):
    print(3)
print(4)
