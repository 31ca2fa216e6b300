"""An exception raised in a thread is reported but the program continues."""
import threading


def bad_worker():
    value = {"a": 1}
    return value["missing"]


def good_worker(out):
    out.append("good")


seen = []


def hook(args):
    seen.append(args.exc_type.__name__)


threading.excepthook = hook
t1 = threading.Thread(target=bad_worker)
out = []
t2 = threading.Thread(target=good_worker, args=(out,))
t1.start()
t1.join()
t2.start()
t2.join()
print(seen, out)
