def example():
    with open("test", "w", encoding="utf-8") as f:
        f.write("3")
        a = 4

example()
