# Details of the 3.10/3.11 constant tables that decide whether a dead code object survives
# (see dead_code_objects.py): it does when live code loads a constant first added after it.


def double_star_call(v, kw):
    if v:
        raise ValueError
        k = lambda: 0
    # Kept: `v(**kw)` builds an empty positional tuple, folded into the new constant ().
    v(**kw)


def star_call(v, args):
    if v:
        raise ValueError
        k = lambda: 0
    # Trimmed: a lone `*args` is passed as it is.
    v(*args)


def try_else_order(v):
    try:
        v()
    except ValueError:
        if 0:
            k = lambda: 0
        v("same")
    else:
        v("same")
    # 3.11 compiles `else:` before the handlers, so "same" is already there and the lambda is
    # trimmed; 3.10 compiles the handlers first, so "same" comes after the lambda: kept.


def percent_format(v):
    v("error: %s" % (v,))
    if v:
        raise ValueError
        k = lambda: 0
    # 3.11 turns `"error: %s" % (v,)` into an f-string, adding "error: " before the lambda:
    # trimmed. 3.10 keeps the format string whole, so "error: " is new here: kept.
    v("error: " + str(v))


def percent_format_specs(v):
    v("%-5s|%3r|%.2a%%" % (v, v, v))
    if v:
        raise ValueError
        k = lambda: 0
    # Trimmed on 3.11: every piece (`|`, `>3`, `.2`, `%`, "5") was added by the format above.
    v("|", ">3", ".2", "%", "5")


def unsupported_percent_format(v):
    v("%d" % (v,))
    if v:
        raise ValueError
        k = lambda: 0
    # Kept: `%d` is not rewritten, so "%d" stays one constant and "" is new.
    v("")


def keyword_names(v):
    v(a=1)
    if v:
        raise ValueError
        k = lambda: 0
    # Trimmed: the names tuple ('a',) and 1 are both in the table already.
    v(a=1)


def is_none_test(v):
    """With a docstring first, None is added only below the lambda."""
    if 0:
        k = lambda: 0
    # 3.11 jumps on `v is None` with POP_JUMP_IF_NONE, never loading None: trimmed there.
    # 3.10 loads None to compare: kept.
    if v is None:
        return v
    return v
