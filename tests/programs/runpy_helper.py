"""runpy.run_path and run_module on helper files (their lines are measured)."""
import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))
result = runpy.run_path(os.path.join(HERE, "pkg_exec", "snippet.py"))
print(result["snippet_total"])
mod_globals = runpy.run_module("pkg_lazy.optional", run_name="optional_main")
print(mod_globals["describe"](), mod_globals["__name__"], mod_globals["LOADED"])
