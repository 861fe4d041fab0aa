#include "io/points_csv.hpp"

#include <QFile>
#include <QTextStream>
#include <cmath>
#include <vector>

namespace scorescope::io {

std::optional<PointsCsv> readPointsCsv(const QString& path, QString& error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("%1: cannot read points file (%2)").arg(path, file.errorString());
    return std::nullopt;
  }
  QTextStream in(&file);
  const QStringList header = in.readLine().trimmed().split(',');
  if (header.size() < 2 || header[0].trimmed() != "x" || header[1].trimmed() != "y") {
    error = QStringLiteral("%1 line 1: expected a header starting with x,y").arg(path);
    return std::nullopt;
  }
  const bool hasLabel = header.size() >= 3 && header[2].trimmed() == "label";
  std::vector<double> xs, ys;
  std::vector<int> labels;
  int lineNumber = 1;
  while (!in.atEnd()) {
    const QString line = in.readLine().trimmed();
    ++lineNumber;
    if (line.isEmpty()) continue;
    const QStringList fields = line.split(',');
    bool okX = false, okY = false;
    const double x = fields.value(0).toDouble(&okX);
    const double y = fields.value(1).toDouble(&okY);
    if (fields.size() < 2 || !okX || !okY || !std::isfinite(x) || !std::isfinite(y)) {
      error = QStringLiteral("%1 line %2: expected two finite numbers x,y, got '%3'")
                  .arg(path)
                  .arg(lineNumber)
                  .arg(line);
      return std::nullopt;
    }
    xs.push_back(x);
    ys.push_back(y);
    if (hasLabel) {
      bool okLabel = false;
      const int label = fields.value(2).toInt(&okLabel);
      if (!okLabel || label < 0) {
        error = QStringLiteral("%1 line %2: label: expected an integer >= 0, got '%3'")
                    .arg(path)
                    .arg(lineNumber)
                    .arg(fields.value(2));
        return std::nullopt;
      }
      labels.push_back(label);
    }
  }
  if (xs.empty()) {
    error = QStringLiteral("%1: expected at least one point after the header").arg(path);
    return std::nullopt;
  }
  PointsCsv result;
  const auto n = static_cast<Eigen::Index>(xs.size());
  result.points.resize(n, 2);
  result.points.col(0) = Eigen::Map<const Eigen::VectorXd>(xs.data(), n);
  result.points.col(1) = Eigen::Map<const Eigen::VectorXd>(ys.data(), n);
  if (hasLabel) result.labels = Eigen::Map<const Labels>(labels.data(), n);
  return result;
}

QByteArray formatCsv(const QStringList& header, const std::vector<const Eigen::VectorXd*>& columns,
                     const Labels* labels) {
  QByteArray out = header.join(',').toUtf8() + '\n';
  const Eigen::Index n = columns.empty() ? 0 : columns.front()->size();
  out.reserve(out.size() + n * 24 * static_cast<Eigen::Index>(columns.size() + 1));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out += ',';
      out += QByteArray::number((*columns[c])(i), 'g', 17);
    }
    if (labels) out += ',' + QByteArray::number((*labels)(i));
    out += '\n';
  }
  return out;
}

}  // namespace scorescope::io
