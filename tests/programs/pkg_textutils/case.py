def snake_to_camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def title_words(text, small=("a", "of", "the")):
    out = []
    for i, word in enumerate(text.split()):
        if i and word in small:
            out.append(word)
        else:
            out.append(word.capitalize())
    return " ".join(out)
