"""M/M/c in SimPy, the peer for Loadlab's engine benchmark.

Usage: python simpy_mmc.py CUSTOMERS SERVERS UTILISATION SEED
Prints one JSON line: customers, seconds, customers_per_second, mean_wait.
Same model as the Rust side: Poisson arrivals, exponential service (mean 1 ms),
one queue in front of SERVERS workers, arrival rate = UTILISATION * SERVERS / 1 ms.
"""
import json
import random
import sys
import time

import simpy


def main():
    customers, servers, rho, seed = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    mean_service = 0.001
    rate = rho * servers / mean_service
    rng = random.Random(seed)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    waits = []

    def customer():
        arrived = env.now
        with pool.request() as slot:
            yield slot
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / mean_service))

    def source():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(rate))
            env.process(customer())

    env.process(source())
    start = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "customers": customers,
        "seconds": seconds,
        "customers_per_second": customers / seconds,
        "mean_wait": sum(waits) / len(waits),
    }))


if __name__ == "__main__":
    main()
