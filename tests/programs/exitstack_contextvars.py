"""contextlib.ExitStack callbacks and contextvars in threads-free code."""
import contextlib
import contextvars

request_id = contextvars.ContextVar("request_id", default="none")
events = []


def handle(rid):
    token = request_id.set(rid)
    try:
        return f"handled {request_id.get()}"
    finally:
        request_id.reset(token)


with contextlib.ExitStack() as stack:
    stack.callback(events.append, "first registered")
    stack.callback(events.append, "second registered")
    events.append("body")
print(events)
print(handle("abc"), request_id.get())
ctx = contextvars.copy_context()
print(ctx.run(handle, "xyz"))


@contextlib.contextmanager
def swallow(*kinds):
    try:
        yield
    except kinds as exc:
        events.append(f"swallowed {type(exc).__name__}")


with swallow(KeyError, IndexError):
    [][1]
print(events[-1])
