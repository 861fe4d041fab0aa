#!/usr/bin/env bash
# Installs the Debian 12 packages Scorescope needs to build, run and test.
#   bash .ci/deps.sh          build + GUI + tests
#   bash .ci/deps.sh bench    also PyTorch (CPU) and matplotlib for the `scorescope bench` baselines
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqt6opengl6-dev libgl-dev libegl-dev
  libeigen3-dev libimgui-dev libglm-dev
  libepoxy-dev fonts-dejavu-core
  xvfb xauth libgl1-mesa-dri ffmpeg
)
# libopenblas0-openmp: without it python3-torch's matrix products run on the reference BLAS
# (~2.6 GFLOP/s for a 1024x128x128 product here, ~65 with OpenBLAS), which would make the
# `scorescope bench train` baseline a strawman. The OpenMP build shares torch's OpenMP runtime.
if [[ "${1:-}" == "bench" ]]; then packages+=(python3 python3-torch libopenblas0-openmp python3-matplotlib); fi
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "deps: installed ${#packages[@]} packages"
