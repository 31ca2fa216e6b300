# An import loads 0 and None, so the module's closing `return None` adds no new constant and the
# dead code objects below are trimmed on 3.10 and 3.11 too.
import os

if os.sep or True:
    pass
else:
    def trimmed():
        return 1
