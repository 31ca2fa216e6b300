for i in range(2):
    with open("test", "w", encoding="utf-8") as f:
        print(3)
    print(4)
print(5)
