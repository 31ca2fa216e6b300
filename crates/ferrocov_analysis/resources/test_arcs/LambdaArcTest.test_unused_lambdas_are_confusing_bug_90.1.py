a = 1
fn = lambda x: x
b = 3
