
fn = \
    (
    lambda
        x:
        x
        +
        8
)
assert fn(10) == 18
