# -*- coding: cp437 -*-
"""A module whose cookie names a codec only Python has (not in the WHATWG standard)."""

GREETING = "GrÅ·e, ´ price ∞±≤"


def shout(text):
    # Box drawing in a comment: …Õª
    if text:
        return text.upper()
    return "Ä"  # never reached


print(shout(GREETING))
