def test(): 0
0
test()
