# -*- coding: koi8-r -*-
"""Модуль с кодировкой koi8-r."""


def greet(name):
    # Привет
    return f"Привет, {name}"


if __name__ == "__main__":  # pragma: no cover
    print(greet("мир"))
