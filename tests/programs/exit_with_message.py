"""sys.exit with a string: exit code 1 and the message on stderr."""
import sys


def check(config):
    missing = [k for k in ("host", "port") if k not in config]
    if missing:
        sys.exit(f"missing keys: {', '.join(missing)}")
    return True


print(check({"host": "h", "port": 1}))
print("checking incomplete config")
check({"host": "h"})
print("unreachable")
