class Foo: ...


pass
