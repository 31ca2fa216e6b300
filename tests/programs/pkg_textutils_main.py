"""Uses a helper package that re-exports names from submodules."""
import pkg_textutils
from pkg_textutils.wrap import boxed

print(pkg_textutils.snake_to_camel("make_it_camel_case"))
print(pkg_textutils.title_words("the lord of the rings"))
print(boxed("a short sentence that needs wrapping in a box", width=16))
print(pkg_textutils.__version__)
