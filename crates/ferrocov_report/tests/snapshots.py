"""What the report fixtures' generators (golden/gen.py, branch/gen.py) share: a scratch copy of a
fixture project, coverage.py run in it, and its outputs written into an `expected/` folder with
the temporary directory shown as /PROJECT and time stamps scrubbed."""

import os
import re
import shutil
import subprocess
import sys
import tempfile


class Snapshots:
    """coverage.py run in a scratch copy of `project`, writing its outputs into `out` (emptied)."""

    def __init__(self, project, out):
        self.proj = os.path.join(tempfile.mkdtemp(), "proj")
        shutil.copytree(project, self.proj)
        self.out = out
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)

    def cov(self, *args, name=None, ok=(0,)):
        """`python -m coverage ARGS` in the project; with `name`, its stdout is a snapshot."""
        r = subprocess.run(
            [sys.executable, "-m", "coverage", *args], cwd=self.proj, capture_output=True, text=True
        )
        assert r.returncode in ok, (args, r.returncode, r.stdout, r.stderr)
        if name:
            with open(os.path.join(self.out, name), "w") as f:
                f.write(self.scrub(r.stdout))
        return r

    def scrub(self, text):
        text = text.replace(self.proj, "/PROJECT")
        text = re.sub(r'timestamp="\d+"', 'timestamp="0"', text)
        return re.sub(r'"timestamp": "[^"]*"', '"timestamp": "2000-01-01T00:00:00"', text)

    def copy_out(self, src, name):
        """A file coverage.py wrote in the project, scrubbed, as snapshot `name`."""
        with open(os.path.join(self.proj, src)) as f:
            text = f.read()
        with open(os.path.join(self.out, name), "w") as f:
            f.write(self.scrub(text))
