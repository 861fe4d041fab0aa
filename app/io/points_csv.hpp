#pragma once
// Plain CSV for points and per-point values: a header line, then one row per point.
//   points:  x,y[,label]      scores: x,y,sx,sy      likelihoods: x,y,nll
#include <QString>
#include <QStringList>
#include <optional>

#include "scorescope/points.hpp"

namespace scorescope::io {

struct PointsCsv {
  Points points;
  Labels labels;  // empty when the file has no label column
};

// Reads a points file whose header starts with "x,y". Errors name the file, line and field.
std::optional<PointsCsv> readPointsCsv(const QString& path, QString& error);

// Formats columns (all of the same length) under `header` with full double precision.
QByteArray formatCsv(const QStringList& header, const std::vector<const Eigen::VectorXd*>& columns,
                     const Labels* labels = nullptr);

// Every command's output: checks that every number is finite (the last line of defence: no NaN
// or inf is ever written with success), then writes formatCsv atomically. Returns an empty
// string on success, otherwise one line (the file is then not created or replaced).
QString writeCsv(const QString& path, const QStringList& header,
                 const std::vector<const Eigen::VectorXd*>& columns, const Labels* labels = nullptr);

}  // namespace scorescope::io
