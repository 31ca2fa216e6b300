"""try/except/else/finally, raise from, custom exceptions, re-raise."""


class AppError(Exception):
    pass


class ConfigError(AppError):
    def __init__(self, key):
        super().__init__(f"bad key {key}")
        self.key = key


def parse_int(text):
    try:
        value = int(text)
    except ValueError as exc:
        raise ConfigError(text) from exc
    else:
        return value * 2
    finally:
        print("parsed", repr(text))


def risky(n):
    try:
        if n == 0:
            raise ZeroDivisionError("zero")
        if n == 1:
            raise KeyError("one")
        return 10 // n
    except ZeroDivisionError:
        return "div"
    except (KeyError, IndexError) as exc:
        return f"lookup {exc}"


def reraise():
    try:
        {}["missing"]
    except KeyError:
        print("logging, then re-raising")
        raise


print(parse_int("21"))
try:
    parse_int("x")
except AppError as err:
    print(type(err).__name__, err.key, type(err.__cause__).__name__)
print(risky(0), risky(1), risky(5))
try:
    reraise()
except KeyError as exc:
    print("outer got", exc)
try:
    try:
        raise ValueError("inner")
    finally:
        print("cleanup")
except ValueError:
    print("handled inner")
