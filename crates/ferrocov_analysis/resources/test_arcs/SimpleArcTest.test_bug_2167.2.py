class Foo: x = 1


pass
