#!/usr/bin/env python3
"""A REST flood against a running generator: CLIENTS threads, each sending REQUESTS requests of SAMPLES
samples to POST /api/generate at once, then the statuses (200 / 503 with Retry-After / other), latency
percentiles of the 200s, timeouts, and the generator's resident memory before and after (from /proc when
its pid is given). Standard library only.

usage: scripts/rest-flood.py URL LAYOUT.png [--clients 64] [--requests 3] [--samples 64] [--pid PID]
       [--timeout 120] [--retry]   (--retry: a 503 is retried after its Retry-After, as a client should)
"""
import argparse, base64, json, statistics, threading, time, urllib.error, urllib.request


def rss_mb(pid):
    if not pid:
        return None
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("layout")
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--requests", type=int, default=3)
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--pid", type=int)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--retry", action="store_true")
    a = p.parse_args()
    body = json.dumps({"layoutPng": base64.b64encode(open(a.layout, "rb").read()).decode(),
                       "numSamples": a.samples}).encode()
    lock = threading.Lock()
    statuses, ok_ms, errors = {}, [], []
    rss = [rss_mb(a.pid)]
    peak = [rss[0] or 0]
    done = threading.Event()

    def sample_rss():
        while not done.wait(0.5):
            v = rss_mb(a.pid)
            if v:
                peak[0] = max(peak[0], v)

    def client(c):
        for i in range(a.requests):
            while True:
                t = time.monotonic()
                req = urllib.request.Request(a.url.rstrip("/") + "/api/generate", data=body,
                                             headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=a.timeout) as r:
                        r.read()
                        code, retry_after = r.status, None
                except urllib.error.HTTPError as e:
                    e.read()
                    code, retry_after = e.code, e.headers.get("Retry-After")
                except Exception as e:  # a timeout or a reset
                    with lock:
                        errors.append(type(e).__name__)
                    break
                ms = (time.monotonic() - t) * 1000
                with lock:
                    key = f"{code}" + (" Retry-After " + retry_after if retry_after else "")
                    statuses[key] = statuses.get(key, 0) + 1
                    if code == 200:
                        ok_ms.append(ms)
                if code == 503 and a.retry:
                    time.sleep(float(retry_after or 1))
                    continue
                break

    watcher = threading.Thread(target=sample_rss, daemon=True)
    watcher.start()
    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    done.set()
    after = rss_mb(a.pid)
    q = lambda xs, f: sorted(xs)[min(len(xs) - 1, int(f * len(xs)))] if xs else float("nan")
    print(json.dumps({"clients": a.clients, "requests_each": a.requests, "samples": a.samples, "retry": a.retry,
                      "wall_s": round(wall, 1), "statuses": statuses, "timeouts_or_resets": len(errors),
                      "ok_p50_ms": round(q(ok_ms, 0.5)), "ok_p99_ms": round(q(ok_ms, 0.99)),
                      "ok_max_ms": round(max(ok_ms)) if ok_ms else None,
                      "rss_mb_before": rss[0], "rss_mb_peak": peak[0], "rss_mb_after": after}, indent=1))


if __name__ == "__main__":
    main()
