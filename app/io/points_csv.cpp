#include "io/points_csv.hpp"

#include <QFile>
#include <QFileInfo>
#include <cmath>
#include <vector>

#include "io/text_file.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/scene.hpp"

namespace scorescope::io {

namespace {

// Lines of a file or stream read in 1 MiB chunks, ended by "\n", "\r\n" or a lone "\r" (old
// Mac), with limits on the total bytes and on one line's length.
class LineReader {
 public:
  explicit LineReader(QFile& file) : file_(file) {}

  // The next line without its terminator; false at the end of input or on error (error() set).
  bool next(QByteArray& line) {
    while (true) {
      qsizetype end = pos_;
      while (end < buffer_.size() && buffer_[end] != '\n' && buffer_[end] != '\r') ++end;
      const bool found = end < buffer_.size();
      // A '\r' that ends the buffer may be the first half of "\r\n": read on before deciding.
      const bool undecided = found && buffer_[end] == '\r' && end + 1 == buffer_.size() && !eof_;
      if (end - pos_ > kMaxCsvLineBytes) {
        error_ = QStringLiteral("a line longer than the limit of %1; expected short x,y rows").arg(byteLimitText(kMaxCsvLineBytes));
        return false;
      }
      if (found && !undecided) {
        line = buffer_.mid(pos_, end - pos_);
        pos_ = end + 1;
        if (buffer_[end] == '\r' && pos_ < buffer_.size() && buffer_[pos_] == '\n') ++pos_;
        return true;
      }
      if (eof_) {
        if (pos_ >= buffer_.size()) return false;
        line = buffer_.mid(pos_);
        pos_ = buffer_.size();
        return true;
      }
      if (!fill()) return false;
    }
  }
  const QString& error() const { return error_; }

 private:
  bool fill() {
    buffer_.remove(0, pos_);
    pos_ = 0;
    const QByteArray chunk = file_.read(1 << 20);
    if (chunk.isEmpty()) {
      if (file_.error() != QFileDevice::NoError) {
        error_ = "cannot read points file (" + file_.errorString() + ")";
        return false;
      }
      eof_ = true;
      return true;
    }
    total_ += chunk.size();
    if (total_ > kMaxCsvBytes) {
      error_ = "points file is larger than the limit of " + byteLimitText(kMaxCsvBytes);
      return false;
    }
    buffer_ += chunk;
    return true;
  }

  QFile& file_;
  QByteArray buffer_;
  qsizetype pos_ = 0;
  qint64 total_ = 0;
  bool eof_ = false;
  QString error_;
};

}  // namespace

std::optional<PointsCsv> readPointsCsv(const QString& path, QString& error) {
  const QString shown = clip(path);
  if (QString invalid = checkInputFile(path, "points file"); !invalid.isEmpty()) {
    error = std::move(invalid);
    return std::nullopt;
  }
  const QFileInfo info(path);
  if (info.isFile() && info.size() > kMaxCsvBytes) {
    error = QStringLiteral("%1: points file is larger than the limit of %2").arg(shown, byteLimitText(kMaxCsvBytes));
    return std::nullopt;
  }
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {  // binary: LineReader handles \n, \r\n and \r
    error = QStringLiteral("%1: cannot read points file (%2)").arg(shown, file.errorString());
    return std::nullopt;
  }
  LineReader in(file);
  long long lineNumber = 0;
  const auto failAt = [&](const QString& message) {
    error = QStringLiteral("%1 line %2: %3").arg(shown).arg(lineNumber).arg(message);
    return std::nullopt;
  };
  QByteArray line;
  lineNumber = 1;
  if (!in.next(line)) {
    if (!in.error().isEmpty()) return failAt(in.error());
    error = QStringLiteral("%1: the file is empty; expected a header x,y[,label] and one row per point").arg(shown);
    return std::nullopt;
  }
  if (line.startsWith("\xEF\xBB\xBF")) line.remove(0, 3);  // a UTF-8 byte-order mark
  QList<QByteArray> header = line.split(',');
  for (QByteArray& name : header) name = name.trimmed();
  if (header.size() < 2 || header[0] != "x" || header[1] != "y") {
    return failAt("expected a header starting with x,y, got '" + clip(line) + "'");
  }
  const bool hasLabel = header.size() >= 3 && header[2] == "label";
  std::vector<double> xs, ys;
  std::vector<int> labels;
  while (in.next(line)) {
    ++lineNumber;
    line = line.trimmed();
    if (line.isEmpty()) continue;
    if (static_cast<long long>(xs.size()) >= kMaxParticles) {
      return failAt(QStringLiteral("more than %1 points (the limit of every command)").arg(kMaxParticles));
    }
    const QList<QByteArray> fields = line.split(',');
    if (fields.size() != header.size()) {
      return failAt(QStringLiteral("expected %1 comma-separated fields as in the header, got %2: '%3'")
                        .arg(header.size())
                        .arg(fields.size())
                        .arg(clip(line)));
    }
    bool okX = false, okY = false;
    const double x = fields[0].trimmed().toDouble(&okX);
    const double y = fields[1].trimmed().toDouble(&okY);
    if (!okX || !okY || !std::isfinite(x) || !std::isfinite(y)) {
      return failAt("expected two finite numbers x,y, got '" + clip(line) + "'");
    }
    if (!(std::abs(x) <= kMaxMixtureMean && std::abs(y) <= kMaxMixtureMean)) {
      return failAt("expected x and y in [-1e6, 1e6], got '" + clip(line) + "'");
    }
    xs.push_back(x);
    ys.push_back(y);
    if (hasLabel) {
      bool okLabel = false;
      const int label = fields[2].trimmed().toInt(&okLabel);
      if (!okLabel || label < 0 || label > kMaxMixtureLabel) {
        return failAt(QStringLiteral("label: expected an integer in [0, %1], got '%2'")
                          .arg(kMaxMixtureLabel)
                          .arg(clip(fields[2])));
      }
      labels.push_back(label);
    }
  }
  if (!in.error().isEmpty()) {
    ++lineNumber;
    return failAt(in.error());
  }
  if (xs.empty()) {
    error = QStringLiteral("%1: expected at least one point after the header").arg(shown);
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

QString writeCsv(const QString& path, const QStringList& header,
                 const std::vector<const Eigen::VectorXd*>& columns, const Labels* labels) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (!columns[c]->allFinite()) {
      return QStringLiteral("the result has non-finite values (column %1); nothing written")
          .arg(header.value(static_cast<qsizetype>(c)));
    }
  }
  return writeFileAtomically(path, formatCsv(header, columns, labels));
}

}  // namespace scorescope::io
