"""`[run] dynamic_context = test_function`: the label of a test function's context and the switch
into and out of it. The tracer finds the calls (a function named ``test*`` or ``runTest`` starting
while no test context runs) and their ends; it calls `start` and `end` here, once per test.

The label is the function's qualified name, found as coverage.py finds it: a method through the
``self`` it was called on (``module.Class.name``), a module-level function through the module's
globals (``module.name``), a static or class method through its code object's qualified name.
When none is found, no context starts.
"""

from __future__ import annotations

from types import FrameType

from ferrocov import measure

# `inspect.CO_OPTIMIZED`, without importing `inspect` (and `ast`, `dis`, ...) into every process
# a run starts.
CO_OPTIMIZED = 0x0001


def label(frame: FrameType) -> str | None:
    """The context label for the test function running in `frame`, or None."""
    code = frame.f_code
    name = code.co_name
    bound = None
    takes_self = code.co_argcount > 0 and code.co_varnames[0] == "self"
    owner = frame.f_locals.get("self") if takes_self else None
    if takes_self:
        bound = getattr(owner, name, None)
    if bound is not None:
        function = getattr(bound, "__func__", None)
        if function is not None:
            return f"{function.__module__}.{function.__qualname__}"
        # Bound to something that is not a method (an attribute holding another callable).
        cls = owner.__class__
        return f"{cls.__module__}.{cls.__name__}.{name}"
    found = frame.f_globals.get(name)
    if found is not None:
        return f"{found.__module__}.{name}"
    # Static and class methods: neither on `self` nor in the globals. A function defined inside
    # another has no name that reaches it.
    qualname = getattr(code, "co_qualname", None)
    if qualname is not None and code.co_flags & CO_OPTIMIZED and "<locals>" not in qualname:
        return f"{frame.f_globals.get('__name__')}.{qualname}"
    return None


def start(frame: FrameType) -> bool:
    """A test function starts in `frame`: switch to its context. True when one started."""
    try:
        found = label(frame)
    except Exception:
        return False
    if found is None:
        return False
    return measure.switch_context(found)


def end() -> None:
    """The test function that started the running context has ended."""
    measure.switch_context("")
