type Alias = int
type Generic[T] = list[T]


def first[T](xs: list[T]) -> T:
    return xs[0]


class Box[T: int, *Ts, **P]:
    def get[U](self, u: U) -> U:
        return u


def fstr(d):
    return f"{d["k"]} and {
        d["j"]
    }"
