#!/usr/bin/env python3
"""PyTorch CPU baseline for `scorescope bench train`.

The same training step as ScoreTrainer::step() for gmm8-ring / VP / eps loss / 2-128x3-2 /
16 time features / batch 1024, in float32:

  * data, drawn per step inside the timed loop as our trainer does: x0 from gmm8-ring (8 Gaussians
    on a circle of radius 3, covariance 0.0625 I, equal weights), t uniform in [t_min, 1] (t_min
    where s/a = 0.01, as trainingTMin), eps ~ N(0, I), x_t = a(t) x0 + s(t) eps on the VP process
    (beta_min 0.1, beta_max 20), all in float64 like ours, then cast to float32;
  * network input (score_network.hpp): [x_t / sqrt(a^2 sd^2 + s^2), sin(w_k c), cos(w_k c)] with
    c = log(s/a) / 4, w_k = pi 2^(k/2 - 1), k = 0..7, sd the data's RMS per coordinate (from 4096
    samples, as recorded at training);
  * nn.Sequential(Linear(18, 128), SiLU, Linear(128, 128), SiLU, Linear(128, 128), SiLU,
    Linear(128, 2)), float32;
  * loss mean over the batch of |eps_theta - eps|^2, backward, torch.optim.Adam(lr 1e-3).

Differences that do not change the work: torch's own random numbers instead of our counter-based
ones, and a constant learning rate of 1e-3 where ours follows the cosine schedule from 1e-2 (one
scalar per step either way).
Prints one line: `median_seconds_per_step <s> steps <k> threads <n>`, the median over --repeats
timed blocks of --steps steps each, after --warmup untimed steps.
"""
import argparse
import math
import os
import statistics
import time

import torch

BETA_MIN, BETA_MAX = 0.1, 20.0


def vp_log_a(t):
    return -t * t * (BETA_MAX - BETA_MIN) / 4 - t * BETA_MIN / 2


def vp_a_s(t):
    log_a = vp_log_a(t)
    return torch.exp(log_a), torch.sqrt(-torch.expm1(2 * log_a))


def vp_t_min(ratio=0.01):
    """The t where s/a = ratio, by bisection (s/a increases with t)."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        log_a = vp_log_a(mid)
        if math.sqrt(-math.expm1(2 * log_a)) / math.exp(log_a) < ratio:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def gmm8_ring(n, generator):
    angles = torch.randint(0, 8, (n,), generator=generator, dtype=torch.float64) * (2 * math.pi / 8)
    means = torch.stack([3 * torch.cos(angles), 3 * torch.sin(angles)], dim=1)
    return means + 0.25 * torch.randn(n, 2, dtype=torch.float64, generator=generator)


def network_input(xt, a, s, data_scale, frequencies):
    scale = 1.0 / torch.sqrt(a * a * data_scale * data_scale + s * s)
    c = torch.log(torch.clamp(s / a, min=1e-4)) / 4.0                         # n x 1
    angles = c * (math.pi * torch.exp2(torch.arange(frequencies, dtype=torch.float64) / 2 - 1))
    features = torch.stack([torch.sin(angles), torch.cos(angles)], dim=2).reshape(len(xt), -1)
    return torch.cat([xt * scale, features], dim=1).to(torch.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--time-features", type=int, default=16)
    parser.add_argument("--steps", type=int, default=50, help="steps per timed block")
    parser.add_argument("--repeats", type=int, default=5, help="timed blocks; the median is printed")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--t-min", type=float, default=0.0, help="default: where s/a = 0.01")
    parser.add_argument("--threads", type=int, default=0, help="default: os.cpu_count()")
    args = parser.parse_args()
    torch.set_num_threads(args.threads if args.threads > 0 else (os.cpu_count() or 1))
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    t_min = args.t_min if args.t_min > 0 else vp_t_min()
    data_scale = math.sqrt(gmm8_ring(4096, generator).pow(2).mean().item())
    frequencies = args.time_features // 2

    layers = []
    width_in = 2 + 2 * frequencies
    for _ in range(args.depth):
        layers += [torch.nn.Linear(width_in, args.width), torch.nn.SiLU()]
        width_in = args.width
    layers.append(torch.nn.Linear(width_in, 2))
    model = torch.nn.Sequential(*layers)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        n = args.batch
        x0 = gmm8_ring(n, generator)
        t = t_min + (1.0 - t_min) * torch.rand(n, 1, dtype=torch.float64, generator=generator)
        eps = torch.randn(n, 2, dtype=torch.float64, generator=generator)
        a, s = vp_a_s(t)
        inputs = network_input(a * x0 + s * eps, a, s, data_scale, frequencies)
        loss = (model(inputs) - eps.to(torch.float32)).pow(2).sum(dim=1).mean()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        return loss

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            loss = step()
        times.append((time.perf_counter() - start) / args.steps)
    assert math.isfinite(loss.item())
    print(f"median_seconds_per_step {statistics.median(times):.6g} steps {args.steps} "
          f"threads {torch.get_num_threads()}")


if __name__ == "__main__":
    main()
