"""Reads foxtail-cli output lines that are server write times (ns since the epoch) and
prints the delay from the server's write to the line's arrival here: p50, p99, max."""
import sys
import time

delays = []
for line in sys.stdin.buffer:
    now = time.time_ns()
    line = line.strip()
    if line.isdigit():
        delays.append((now - int(line)) / 1000.0)
if not delays:
    print("latency: no timed lines received", file=sys.stderr)
    sys.exit(1)
delays.sort()
pick = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
print(f"latency over {len(delays)} events: p50 {pick(0.50):.0f} us, p99 {pick(0.99):.0f} us, max {delays[-1]:.0f} us")
