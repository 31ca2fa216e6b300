from pkg_textutils.case import snake_to_camel, title_words
from pkg_textutils.wrap import boxed

__version__ = "1.0"
__all__ = ["boxed", "snake_to_camel", "title_words"]
