"""with statements: multiple items, parenthesised, contextmanager, suppress."""
import contextlib
import io


class Tag:
    depth = 0

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("  " * Tag.depth + f"<{self.name}>")
        Tag.depth += 1
        return self.name

    def __exit__(self, *exc):
        Tag.depth -= 1
        print("  " * Tag.depth + f"</{self.name}>")
        return False


@contextlib.contextmanager
def section(title):
    print("begin", title)
    try:
        yield title.upper()
    finally:
        print("end", title)


with Tag("html"), Tag("body") as body:
    print("    in", body)

with (
    Tag("div") as d,
    section("inner") as s,
):
    print("   ", d, s)

with contextlib.suppress(ZeroDivisionError):
    print("about to fail")
    print(1 / 0)
    print("not reached")

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("captured text")
print("buffer has", repr(buf.getvalue()))

with contextlib.ExitStack() as stack:
    names = [stack.enter_context(Tag(f"t{i}")) for i in range(2)]
    print("    stack", names)
