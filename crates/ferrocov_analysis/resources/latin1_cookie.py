# -*- coding: latin-1 -*-
s = "café"
print(s)
