# Source executed through exec(compile(..., filename)) by exec_eval.py.
def snippet_double(v):
    return v * 2


snippet_total = 0
for snippet_i in range(4):
    snippet_total += snippet_double(snippet_i)
if snippet_total > 1000:
    snippet_total = -1
