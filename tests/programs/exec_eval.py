"""Code run via exec and eval, including exec of compile() with a real filename."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SNIPPET = os.path.join(HERE, "pkg_exec", "snippet.py")

namespace = {}
exec("a = 6\nb = a * 7\n", namespace)
print(namespace["b"])
print(eval("b // 2 + len(name)", namespace, {"name": "xyz"}))
with open(SNIPPET) as fh:
    source = fh.read()
code = compile(source, SNIPPET, "exec")
scope = {}
exec(code, scope)
print("snippet total", scope["snippet_total"], scope["snippet_double"](21))
expr = compile("[n * n for n in range(4)]", "<expr>", "eval")
print(eval(expr))


def make_function(name, body):
    src = f"def {name}(x):\n    return {body}\n"
    env = {}
    exec(src, env)
    return env[name]


triple = make_function("triple", "x * 3")
print(triple(5))
