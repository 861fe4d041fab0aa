#pragma once
// Particle batches. A batch of n 2D points is an n x 2 column-major matrix: column 0 holds every
// x, column 1 every y, so each coordinate is contiguous (structure of arrays) and one sampler
// step is a few vectorised passes over two arrays.
#include <Eigen/Core>

namespace scorescope {

using Points = Eigen::Matrix<double, Eigen::Dynamic, 2>;
using Labels = Eigen::VectorXi;

// Symmetric 2x2 matrices per point, stored as (xx, xy, yy) columns: Hessians of log p_t and
// Jacobians of the score, which are symmetric for exact targets.
using SymmetricPerPoint = Eigen::Matrix<double, Eigen::Dynamic, 3>;

// Full (not necessarily symmetric) 2x2 Jacobians per point, stored row-major as (xx, xy, yx, yy):
// entry (i, j) is d out_i / d x_j. Learned models have non-symmetric Jacobians.
using JacobianPerPoint = Eigen::Matrix<double, Eigen::Dynamic, 4>;

}  // namespace scorescope
