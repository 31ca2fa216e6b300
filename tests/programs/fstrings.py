"""f-strings: format specs, nesting, = debugging, conversions, multi-line."""
import datetime

name = "Ada"
width = 10
price = 1234.5678
when = datetime.date(2024, 2, 29)
items = ["x", "y"]
print(f"{name!r:>{width}}|{name:<{width}}|")
print(f"{price:,.2f} {price:e} {price:>12.1f}")
print(f"{when:%Y/%m/%d} {when.year=}")
print(f"{len(items)=} {items[0]!s} {'nested ' + name}")
message = (
    f"Dear {name},\n"
    f"your balance is {price:.2f} "
    f"as of {when.isoformat()}"
)
print(message)
table = f"""
| {'key':<5} | {'value':>6} |
| {'a':<5} | {1:>6} |
| {'b':<5} | {22 + 3:>6} |
"""
print(table.strip())
print(f"{'yes' if price > 1000 else 'no'} {{literal braces}} {3 * 7:#x}")
