"""Generator send/throw/close protocol."""


def averager():
    total = 0.0
    count = 0
    average = None
    try:
        while True:
            value = yield average
            if value is None:
                break
            total += value
            count += 1
            average = total / count
    except GeneratorExit:
        print("averager closed at", count)
        raise
    return average


def resilient():
    while True:
        try:
            got = yield
            print("got", got)
        except KeyError as exc:
            print("recovered from", exc)


avg = averager()
next(avg)
for v in (10, 20, 30):
    print(avg.send(v))
avg.close()

worker = resilient()
next(worker)
worker.send("first")
worker.throw(KeyError("boom"))
worker.send("second")
worker.close()

finisher = averager()
next(finisher)
finisher.send(4)
try:
    finisher.send(None)
except StopIteration as stop:
    print("final", stop.value)
