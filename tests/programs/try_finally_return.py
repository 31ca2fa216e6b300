"""return/break/continue interacting with try/finally and loops."""


def finally_overrides():
    try:
        return "try"
    finally:
        print("finally runs before return")


def loop_with_finally(items):
    seen = []
    for item in items:
        try:
            if item == "skip":
                continue
            if item == "stop":
                break
            seen.append(item)
        finally:
            seen.append("|")
    return seen


def nested_handlers(x):
    try:
        try:
            return 10 / x
        except ZeroDivisionError:
            raise ValueError("converted") from None
        finally:
            print("inner finally", x)
    except ValueError as exc:
        return f"outer caught {exc}"


def cleanup_order():
    order = []
    try:
        try:
            order.append("body")
            raise KeyError("k")
        finally:
            order.append("inner")
    except KeyError:
        order.append("handler")
    else:
        order.append("else")
    finally:
        order.append("outer")
    return order


print(finally_overrides())
print(loop_with_finally(["a", "skip", "b", "stop", "c"]))
print(nested_handlers(4), nested_handlers(0))
print(cleanup_order())
