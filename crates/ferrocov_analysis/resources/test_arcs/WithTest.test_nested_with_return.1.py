def example(x):
    with open("test", "w", encoding="utf-8") as f2:
        a = 3
        with open("test2", "w", encoding="utf-8") as f4:
            f2.write("5")
            return 6

example(8)
