#!/usr/bin/env python3
"""Matplotlib baseline for Scorescope's headless export (`scorescope bench export`).

What a lecturer does today: a FuncAnimation written to MP4 by ffmpeg (libx264), Agg backend,
blit=False. Same content as resources/scenes/benchmark-pfode-100k.json: the gmm8-ring target
(8 Gaussians, radius 3, covariance 0.0625 I, equal weights) on the VP process (beta_min 0.1,
beta_max 20), 100000 particles from N(0, I) (numpy seed 0, so not the same draws as the C++ or
torch runs) moved by the probability-flow ODE with Heun's method, 100 uniform steps from t = 1 to
--t-end (1e-3, the default of bench/pfode_heun_torch.py), exact score by log-sum-exp over
components, float64, the same arithmetic as bench/pfode_heun_torch.py.

Each frame, on a dark background over the 16:9 box [-6.4, 6.4] x [-3.6, 3.6] (the height is kept
for other --size aspects): the exact density p_t as an image (256 x 144 for 16:9), a 32 x 32 quiver
of the exact score at the frame's t (unit directions, coloured by log10 of the magnitude), and the
particles as a scatter of small points. Frame k of n shows the trajectory at step
round(k * steps / (n - 1)); no interpolation.

The ODE is integrated inside the animation: the frame function advances the particles with Heun
steps up to the frame's step before drawing, so the timed save includes the integration (it is
cheap next to the drawing). Prints one line: `seconds <wall seconds for the whole save> frames <n>`.

Needs Debian's python3-numpy and python3-matplotlib and ffmpeg. If the `python3` on PATH lacks
numpy or matplotlib (a pyenv one, say) the script re-runs itself under /usr/bin/python3.
"""
import argparse
import math
import os
import sys
import time

try:
    import numpy as np
    import matplotlib
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
            "/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
    raise

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation  # noqa: E402


def mixture():
    angles = np.arange(8, dtype=np.float64) * (2 * math.pi / 8)
    means = np.stack([3 * np.cos(angles), 3 * np.sin(angles)], axis=1)  # K x 2
    covs = 0.0625 * np.broadcast_to(np.eye(2), (8, 2, 2))
    weights = np.full(8, 1 / 8)
    return weights, means, covs


def vp(t, bmin=0.1, bmax=20.0):
    log_m = -t * t * (bmax - bmin) / 4 - t * bmin / 2
    a = math.exp(log_m)
    s = math.sqrt(-math.expm1(2 * log_m))
    beta = bmin + t * (bmax - bmin)
    return a, s, -0.5 * beta, beta  # a, s, f, g^2


def components(x, t, weights, means, covs):
    """Per-component log densities (N x K) and C^{-1}(a mu - x) (two N x K arrays)."""
    a, s, _, _ = vp(t)
    cov_t = a * a * covs + s * s * np.eye(2)                             # K x 2 x 2
    # Closed-form 2 x 2 inverse and determinant: np.linalg.inv on 8 tiny matrices goes through
    # LAPACK gesv, which with Debian's OpenMP OpenBLAS on a busy machine took 20-60 ms a call.
    det = cov_t[:, 0, 0] * cov_t[:, 1, 1] - cov_t[:, 0, 1] * cov_t[:, 1, 0]  # K
    adjugate = np.stack([np.stack([cov_t[:, 1, 1], -cov_t[:, 0, 1]], axis=1),
                         np.stack([-cov_t[:, 1, 0], cov_t[:, 0, 0]], axis=1)], axis=1)
    precision = adjugate / det[:, None, None]                            # K x 2 x 2
    log_norm = np.log(weights) - math.log(2 * math.pi) - 0.5 * np.log(det)
    dx = x[:, 0:1] - a * means[:, 0]                                     # N x K
    dy = x[:, 1:2] - a * means[:, 1]
    gx = -(precision[:, 0, 0] * dx + precision[:, 0, 1] * dy)
    gy = -(precision[:, 1, 0] * dx + precision[:, 1, 1] * dy)
    logits = log_norm + 0.5 * (dx * gx + dy * gy)
    return logits, gx, gy


def score(x, t, mix):
    logits, gx, gy = components(x, t, *mix)
    logits = logits - logits.max(axis=1, keepdims=True)                  # softmax by log-sum-exp
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    return np.stack([(r * gx).sum(1), (r * gy).sum(1)], axis=1)


def density(x, t, mix):
    logits, _, _ = components(x, t, *mix)
    top = logits.max(axis=1, keepdims=True)
    return np.exp(top[:, 0] + np.log(np.exp(logits - top).sum(axis=1)))


def drift(x, t, mix):
    _, _, f, g2 = vp(t)
    return f * x - 0.5 * g2 * score(x, t, mix)


def heun_step(x, t, u, mix):
    h = u - t
    d1 = drift(x, t, mix)
    d2 = drift(x + h * d1, u, mix)
    return x + 0.5 * h * (d1 + d2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--particles", type=int, default=100_000)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--t-end", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    if args.frames < 2:
        parser.error("--frames must be at least 2")

    mix = mixture()
    ts = [1.0 - (1.0 - args.t_end) * i / args.steps for i in range(args.steps + 1)]
    x0 = np.random.default_rng(args.seed).standard_normal((args.particles, 2))
    frame_step = [round(k * args.steps / (args.frames - 1)) for k in range(args.frames)]

    half_h = 3.6
    half_w = half_h * width / height
    extent = (-half_w, half_w, -half_h, half_h)

    # Density grid (cell centres) and quiver grid.
    gw = 256
    gh = max(1, round(gw * height / width))
    gx = (np.arange(gw) + 0.5) / gw * 2 * half_w - half_w
    gy = (np.arange(gh) + 0.5) / gh * 2 * half_h - half_h
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    qn = 32
    qx = (np.arange(qn) + 0.5) / qn * 2 * half_w - half_w
    qy = (np.arange(qn) + 0.5) / qn * 2 * half_h - half_h
    qgrid = np.stack(np.meshgrid(qx, qy), axis=-1).reshape(-1, 2)
    arrow_len = 0.8 * min(2 * half_w / qn, 2 * half_h / qn)

    dpi = 100
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="#101014")
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_facecolor("#101014")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_axis_off()
    image = ax.imshow(np.zeros((gh, gw)), origin="lower", extent=extent, cmap="magma",
                      interpolation="bilinear", aspect="auto", zorder=0)
    arrows = ax.quiver(qgrid[:, 0], qgrid[:, 1], np.zeros(qn * qn), np.zeros(qn * qn),
                       np.zeros(qn * qn), cmap="viridis", angles="xy", scale_units="xy",
                       scale=1 / arrow_len, width=0.0015, headwidth=4, headlength=5, zorder=1)
    points = ax.scatter(x0[:, 0], x0[:, 1], s=0.5, c="#9fe8ff", alpha=0.6, linewidths=0,
                        zorder=2)
    label = ax.text(0.01, 0.98, "", transform=ax.transAxes, color="white", va="top", fontsize=14,
                    zorder=3)

    state = {"x": x0, "step": 0}

    def update(k):
        target = frame_step[k]
        if target < state["step"]:  # never happens in order; restart rather than go backwards
            state["x"], state["step"] = x0, 0
        while state["step"] < target:
            i = state["step"]
            state["x"] = heun_step(state["x"], ts[i], ts[i + 1], mix)
            state["step"] = i + 1
        t = ts[target]
        p = density(grid, t, mix).reshape(gh, gw)
        image.set_data(p)
        image.set_clim(0.0, p.max())
        sc = score(qgrid, t, mix)
        mag = np.hypot(sc[:, 0], sc[:, 1])
        unit = sc / np.maximum(mag, 1e-300)[:, None]
        logmag = np.log10(np.maximum(mag, 1e-12))
        arrows.set_UVC(unit[:, 0], unit[:, 1], logmag)
        arrows.set_clim(logmag.min(), logmag.max())
        points.set_offsets(state["x"])
        label.set_text(f"t = {t:.3f}   step {target}/{args.steps}")
        return image, arrows, points, label

    def init():
        return image, arrows, points, label

    anim = FuncAnimation(fig, update, frames=args.frames, init_func=init, blit=False,
                         repeat=False, cache_frame_data=False)
    writer = FFMpegWriter(fps=args.fps, codec="libx264")
    start = time.perf_counter()
    anim.save(args.out, writer=writer, dpi=dpi)
    seconds = time.perf_counter() - start
    assert np.isfinite(state["x"]).all()
    print(f"seconds {seconds:.3f} frames {args.frames}")


if __name__ == "__main__":
    main()
