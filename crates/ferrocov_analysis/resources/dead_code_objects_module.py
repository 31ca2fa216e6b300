"""At module level the closing `return None` adds None unless it is already a constant.

Here nothing before the dead def added None, so None comes after it: the def is kept on 3.10 and
3.11 (see dead_code_objects_module_import.py for the other case).
"""
if 0:
    def kept():
        return 1

    class AlsoKept:
        x = [i for i in range(3)]
