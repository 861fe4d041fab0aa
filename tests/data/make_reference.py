#!/usr/bin/env python3
"""Regenerates the reference data of the numeric test suites, or checks it.

An implementation of the forward processes and of the exact mixture score that is independent
of the C++ core: Python 3, standard library only, float64 throughout. The formulas are those of
docs/math.md.

    python3 tests/data/make_reference.py            # rewrite mixture.json and the two CSVs here
    python3 tests/data/make_reference.py --out DIR  # write them to DIR instead
    python3 tests/data/make_reference.py --check    # recompute, compare with the committed files

--check prints the largest relative difference per file and exits 1 if any exceeds 1e-9. The
files store 12 significant digits, so a correct file shows differences below 1e-11.
"""

import argparse
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-9

# Default parameters of every process (docs/math.md, "Forward processes").
DDPM_STEPS = 1000
DDPM_BETA_MIN, DDPM_BETA_MAX = 1e-4, 0.02
COSINE_OFFSET, COSINE_MAX_BETA = 0.008, 0.999
VP_BETA_MIN, VP_BETA_MAX = 0.1, 20.0
VE_SIGMA_MIN, VE_SIGMA_MAX = 0.01, 10.0
OU_HORIZON = 5.0

COEFFICIENT_PROCESSES = ["ddpm", "ddpm-cosine", "vp", "subvp", "ve", "ou"]
COEFFICIENT_TIMES = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 1.0]
SCORE_PROCESSES = ["ddpm", "vp", "subvp", "ve", "ou"]
SCORE_TIMES = [0.05, 0.3, 0.7]
# Six fixed evaluation points in [-3, 4]^2: near each mode, between modes and in the tails.
SCORE_POINTS = [
    (-2.18131182026, -1.46593328232),
    (2.37892365866, 1.41003736601),
    (-0.871123595185, -1.33748857707),
    (0.786470028698, -2.50612651517),
    (1.38204835212, 3.53442292216),
    (-2.01403428296, 3.59104921467),
]

# The reference target: three Gaussians, labels 0, 1, 1.
MIXTURE = {
    "components": [
        {"weight": 0.5, "mean": [-2.0, 0.5], "cov": [[0.3, 0.1], [0.1, 0.2]], "label": 0},
        {"weight": 0.3, "mean": [1.5, 1.0], "cov": [[0.15, -0.05], [-0.05, 0.25]], "label": 1},
        {"weight": 0.2, "mean": [0.5, -2.0], "cov": [[0.4, 0.0], [0.0, 0.1]], "label": 1},
    ]
}


# --- Forward processes: x_t = a(t) x0 + s(t) eps, t in [0, 1] -----------------------------------

def ddpm_log_alpha_bars(cosine):
    """log abar_k for k = 0..T (abar_0 = 1), as exact sums of log(1 - beta_k)."""
    T = DDPM_STEPS
    if cosine:
        # Nichol & Dhariwal 2021: abar(t) = f(t)/f(0), betas clipped at 0.999.
        def f(k):
            return math.cos((k / T + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2
        betas = [min(1 - f(k) / f(k - 1), COSINE_MAX_BETA) for k in range(1, T + 1)]
    else:
        betas = [DDPM_BETA_MIN + (DDPM_BETA_MAX - DDPM_BETA_MIN) * (k - 1) / (T - 1)
                 for k in range(1, T + 1)]
    logs = [0.0]
    for k in range(1, T + 1):
        logs.append(math.fsum(math.log1p(-b) for b in betas[:k]))
    return logs


_DDPM_TABLES = {}


def coefficients(process, t):
    """(a(t), s(t)) of a process with its default parameters."""
    if process in ("ddpm", "ddpm-cosine"):
        k = round(t * DDPM_STEPS)
        if abs(k - t * DDPM_STEPS) > 1e-9:
            raise ValueError("DDPM reference times must lie on the grid k/T, got t = %r" % t)
        if process not in _DDPM_TABLES:
            _DDPM_TABLES[process] = ddpm_log_alpha_bars(process == "ddpm-cosine")
        log_abar = _DDPM_TABLES[process][k]
        return math.exp(0.5 * log_abar), math.sqrt(-math.expm1(log_abar))
    if process in ("vp", "subvp"):
        log_m = -t * t * (VP_BETA_MAX - VP_BETA_MIN) / 4 - t * VP_BETA_MIN / 2
        one_minus_m2 = -math.expm1(2 * log_m)
        return math.exp(log_m), (math.sqrt(one_minus_m2) if process == "vp" else one_minus_m2)
    if process == "ve":
        return 1.0, VE_SIGMA_MIN * (VE_SIGMA_MAX / VE_SIGMA_MIN) ** t
    if process == "ou":
        return math.exp(-OU_HORIZON * t), math.sqrt(-math.expm1(-2 * OU_HORIZON * t))
    raise ValueError("unknown process " + process)


# --- Exact mixture quantities: p_t = sum_k w_k N(a mu_k, a^2 S_k + s^2 I) -----------------------

def mixture_values(mixture, a, s, x, y):
    """score (2), log p_t and p_t(label 1 | x) at the point (x, y)."""
    comps = mixture["components"]
    total_weight = math.fsum(c["weight"] for c in comps)
    logs, gradients = [], []
    for c in comps:
        (sxx, sxy), (syx, syy) = c["cov"]
        cxx, cxy, cyy = a * a * sxx + s * s, a * a * sxy, a * a * syy + s * s
        det = cxx * cyy - cxy * cxy
        pxx, pxy, pyy = cyy / det, -cxy / det, cxx / det  # C^{-1}
        dx, dy = x - a * c["mean"][0], y - a * c["mean"][1]
        gx, gy = -(pxx * dx + pxy * dy), -(pxy * dx + pyy * dy)  # C^{-1} (a mu - x)
        quad = dx * (pxx * dx + pxy * dy) + dy * (pxy * dx + pyy * dy)
        logs.append(math.log(c["weight"] / total_weight) - math.log(2 * math.pi)
                    - 0.5 * math.log(det) - 0.5 * quad)
        gradients.append((gx, gy))
    peak = max(logs)
    unnormalised = [math.exp(l - peak) for l in logs]
    norm = math.fsum(unnormalised)
    r = [u / norm for u in unnormalised]
    score_x = math.fsum(rk * g[0] for rk, g in zip(r, gradients))
    score_y = math.fsum(rk * g[1] for rk, g in zip(r, gradients))
    log_p = peak + math.log(norm)
    p_label1 = math.fsum(rk for rk, c in zip(r, comps) if c["label"] == 1)
    return score_x, score_y, log_p, p_label1


# --- Tables -------------------------------------------------------------------------------------

def g12(value):
    return "%.12g" % value


def coefficient_rows():
    rows = []
    for process in COEFFICIENT_PROCESSES:
        for t in COEFFICIENT_TIMES:
            a, s = coefficients(process, t)
            rows.append({"process": process, "t": t, "a": a, "s": s})
    return ["process", "t", "a", "s"], rows


def score_rows():
    rows = []
    for process in SCORE_PROCESSES:
        for t in SCORE_TIMES:
            a, s = coefficients(process, t)
            for x, y in SCORE_POINTS:
                sx, sy, log_p, p1 = mixture_values(MIXTURE, a, s, x, y)
                rows.append({"process": process, "t": t, "x": x, "y": y, "score_x": sx,
                             "score_y": sy, "log_p": log_p, "p_label1": p1})
    return ["process", "t", "x", "y", "score_x", "score_y", "log_p", "p_label1"], rows


TABLES = {"coefficients.csv": coefficient_rows, "mixture_scores.csv": score_rows}


def format_row(header, row):
    out = []
    for name in header:
        value = row[name]
        if name == "process":
            out.append(value)
        elif name == "t":
            out.append(repr(value))
        else:
            out.append(g12(value))
    return ",".join(out)


def write(directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "mixture.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(MIXTURE, indent=1))
    for name, make in TABLES.items():
        header, rows = make()
        with open(os.path.join(directory, name), "w", encoding="utf-8", newline="") as f:
            f.write(",".join(header) + "\n")
            for row in rows:
                f.write(format_row(header, row) + "\n")
        print("wrote %s (%d rows)" % (os.path.join(directory, name), len(rows)))


def relative_difference(actual, expected):
    if actual == expected:
        return 0.0
    return abs(actual - expected) / max(abs(actual), abs(expected))


def check(directory):
    ok = True
    with open(os.path.join(directory, "mixture.json"), encoding="utf-8") as f:
        if json.load(f) != MIXTURE:
            print("mixture.json: differs from the mixture defined in this script")
            ok = False
        else:
            print("mixture.json: identical")
    for name, make in TABLES.items():
        header, rows = make()
        with open(os.path.join(directory, name), encoding="utf-8", newline="") as f:
            committed = list(csv.DictReader(f))
        if not committed or list(committed[0].keys()) != header:
            print("%s: header differs from %s" % (name, ",".join(header)))
            ok = False
            continue
        if len(committed) != len(rows):
            print("%s: %d rows, expected %d" % (name, len(committed), len(rows)))
            ok = False
            continue
        worst, where = 0.0, ""
        for line, (old, new) in enumerate(zip(committed, rows), start=2):
            if old["process"] != new["process"]:
                print("%s line %d: process %s, expected %s" % (name, line, old["process"], new["process"]))
                ok = False
                continue
            for column in header[1:]:
                diff = relative_difference(float(old[column]), float(new[column]))
                if diff > worst:
                    worst, where = diff, "line %d, %s" % (line, column)
        print("%s: %d rows, max relative difference %.3g%s" %
              (name, len(rows), worst, " (%s)" % where if where else ""))
        if worst > TOLERANCE:
            ok = False
    print("OK" if ok else "FAILED: tolerance %g" % TOLERANCE)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="recompute and compare with the files in --out (exit 1 on mismatch)")
    parser.add_argument("--out", default=HERE, help="directory of the files (default: this one)")
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if check(args.out) else 1)
    write(args.out)


if __name__ == "__main__":
    main()
