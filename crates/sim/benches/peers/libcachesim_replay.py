"""LRU replay in libCacheSim (C core, via its Python package), the peer for `loadlab replay`.

Usage: python libcachesim_replay.py TRACE.oracleGeneral CAPACITY
Prints one JSON line: requests, seconds, requests_per_second, hit_rate.
The trace holds unit-size objects, so a cache of CAPACITY bytes holds CAPACITY entries.
The time includes libCacheSim reading the binary trace (it streams from the file).
"""
import json
import sys
import time

import libcachesim as lcs


def main():
    path, capacity = sys.argv[1], int(sys.argv[2])
    reader = lcs.TraceReader(path, lcs.TraceType.ORACLE_GENERAL_TRACE)
    cache = lcs.LRU(cache_size=capacity)
    start = time.perf_counter()
    miss_ratio, _byte_miss_ratio = cache.process_trace(reader)
    seconds = time.perf_counter() - start
    requests = reader.get_num_of_req() if hasattr(reader, "get_num_of_req") else None
    print(json.dumps({
        "requests": requests,
        "seconds": seconds,
        "requests_per_second": (requests or 0) / seconds,
        "hit_rate": 1.0 - miss_ratio,
    }))


if __name__ == "__main__":
    main()
