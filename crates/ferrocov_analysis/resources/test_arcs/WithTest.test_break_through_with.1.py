for i in range(1+1):
    with open("test", "w", encoding="utf-8") as f:
        print(3)
        break
print(5)
