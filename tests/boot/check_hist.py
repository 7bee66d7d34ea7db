"""The hist records of a protocol v4 log (docs/protocol.md, "hist"),
checked against the figures of the result they follow: with hist= on,
every result is followed at once by parts 1..parts that decode, whose
counts add up to its n, and whose buckets hold its min, p1, p50, p99 and
max at their ranks; with hist=0 there are none. The bucket maths is the
image's (kernel/include/vmb/hist.h), written again here so that the
check does not trust the code it checks."""
import math

SUB_BITS = 7
MAX_PAIRS = 96


def bucket(v):
    if v < 1 << SUB_BITS:
        return v
    e = v.bit_length() - 1
    return (e - SUB_BITS + 1) * (1 << SUB_BITS) + (v >> (e - SUB_BITS)) - (1 << SUB_BITS)


def hist_on(opts, default):
    """hist= from an options string (the last one wins, as in the image)."""
    on = default
    for word in opts.split():
        if word == "hist" or word in ("hist=1", "hist=yes"):
            on = True
        elif word in ("hist=0", "hist=no"):
            on = False
    return on


def decode(recs, result):
    """The result's buckets {index: count} from the records after it, or
    a string saying what is wrong."""
    n, bench = result.get("n"), result.get("bench")
    counts, part, parts = {}, 0, None
    for h in recs:
        if h.get("t") != "hist":
            break
        part += 1
        if h.get("bench") != bench or h.get("n") != n or h.get("sub_bits") != SUB_BITS:
            return f"hist part {part} names {h.get('bench')} n={h.get('n')} sub_bits={h.get('sub_bits')}"
        if h.get("part") != part or (parts is not None and h.get("parts") != parts):
            return f"hist part {h.get('part')} of {h.get('parts')} where part {part} was due"
        parts = h.get("parts")
        b = h.get("b")
        if not isinstance(b, list) or not b or len(b) % 2 or len(b) > 2 * MAX_PAIRS:
            return f"hist part {part}: b is not 1 to {MAX_PAIRS} pairs"
        idx = None
        for i in range(0, len(b), 2):
            step, cnt = b[i], b[i + 1]
            if not isinstance(step, int) or not isinstance(cnt, int) or cnt < 1 or \
                    (idx is not None and step < 1):
                return f"hist part {part}: pair {i // 2} ({step}, {cnt}) is not a bucket"
            idx = step if idx is None else idx + step
            if idx in counts:
                return f"hist part {part}: bucket {idx} twice"
            counts[idx] = cnt
    if parts is None:
        return "no hist records after it"
    if part != parts:
        return f"hist records stop after part {part} of {parts}"
    return counts


def at_rank(counts, rank):
    """The bucket holding the rank-th smallest sample (1-based)."""
    seen = 0
    for idx in sorted(counts):
        seen += counts[idx]
        if seen >= rank:
            return idx
    return None


def check_hist(c, recs, boot, opts, default):
    if boot.get("v", 1) < 4:
        return
    hists = [r for r in recs if r.get("t") == "hist"]
    if not hist_on(opts, default):
        c.check(not hists, "hist=0: no hist records",
                f"hist=0, yet {len(hists)} hist records")
        return
    for i, r in enumerate(recs):
        if r.get("t") != "result":
            continue
        b, n = r.get("bench", "?"), r.get("n")
        if n == 0 and (i + 1 == len(recs) or recs[i + 1].get("t") != "hist"):
            continue  # no samples, no buckets
        counts = decode(recs[i + 1:], r)
        if isinstance(counts, str):
            c.fail(f"{b}: {counts}")
            continue
        total = sum(counts.values())
        fails = [] if total == n else [f"hist counts add up to {total}, n is {n}"]
        for key, pct in (("min", 0), ("p1", 1), ("p50", 50), ("p99", 99), ("max", 100)):
            v = r.get(key)
            if not isinstance(v, int) or not n:
                continue
            rank = max(1, math.ceil(pct * n / 100))  # nearest rank, as the image
            if bucket(v) != at_rank(counts, rank):
                fails.append(f"{key} {v} (bucket {bucket(v)}) is not in the bucket of "
                             f"rank {rank} ({at_rank(counts, rank)})")
        for f in fails:
            c.fail(f"{b}: {f}")
        if not fails:
            c.ok(f"{b}: hist of {len(counts)} buckets adds up to n={n} and holds min, p1, "
                 "p50, p99 and max at their ranks")
