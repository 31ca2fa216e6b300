x = 1

def f():
	if x:
		return 1
y = 2