import textwrap


def boxed(text, width=20):
    lines = textwrap.wrap(text, width) or [""]
    inner = max(len(ln) for ln in lines)
    top = "+" + "-" * (inner + 2) + "+"
    body = [f"| {ln:<{inner}} |" for ln in lines]
    return "\n".join([top, *body, top])


def shout(text):
    return text.upper()
