"""Ends with an uncaught exception: exit code 1 and a traceback on stderr."""


class InventoryError(Exception):
    pass


def lookup(stock, item):
    if item not in stock:
        raise InventoryError(f"no {item} in stock")
    return stock[item]


def restock(stock):
    for name in ("apples", "pears"):
        stock[name] = stock.get(name, 0) + 5
    return stock


stock = restock({"apples": 1})
print(lookup(stock, "apples"))
print("looking up plums")
lookup(stock, "plums")
print("never reached")
