"""threading.Thread with locks and joins; lines run in threads are measured."""
import threading

lock = threading.Lock()
totals = {}


def worker(name, n):
    acc = 0
    for i in range(n):
        if i % 2:
            acc += i
        else:
            acc -= 1
    with lock:
        totals[name] = acc


class Pinger(threading.Thread):
    def __init__(self):
        super().__init__(name="pinger")
        self.result = None

    def run(self):
        self.result = sum(range(50))


threads = [threading.Thread(target=worker, args=(f"w{i}", 100 * (i + 1))) for i in range(4)]
for t in threads:
    t.start()
pinger = Pinger()
pinger.start()
for t in threads:
    t.join()
pinger.join()
print(sorted(totals.items()))
print("pinger", pinger.result)
local = threading.local()


def uses_local(value, out):
    local.value = value
    out.append(local.value * 2)


out = []
t = threading.Thread(target=uses_local, args=(21, out))
t.start()
t.join()
print(out, hasattr(local, "value"))
