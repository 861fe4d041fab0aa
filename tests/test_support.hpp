#pragma once
// Helpers for the numeric suites: the float64 reference data in tests/data (an independent
// Python computation of docs/math.md, see tests/data/README.md) and small utilities.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>
#include <map>
#include <memory>
#include <vector>

#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/process.hpp"

namespace scorescope::test {

// A file of tests/data, e.g. testDataPath("coefficients.csv").
inline QString testDataPath(const QString& relative) {
  return QStringLiteral(SCORESCOPE_TEST_DATA_DIR "/") + relative;
}

// Rows of a CSV file with a header, as maps from column name to text.
inline std::vector<std::map<QString, QString>> readCsv(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) qFatal("cannot read %s", qPrintable(path));
  const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
  const QStringList header = lines.first().split(',');
  std::vector<std::map<QString, QString>> rows;
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QStringList fields = lines[i].split(',');
    std::map<QString, QString> row;
    for (qsizetype c = 0; c < header.size(); ++c) row[header[c]] = fields.value(c);
    rows.push_back(row);
  }
  return rows;
}

// The reference mixture of tests/data/mixture.json, parsed here independently of app/io.
inline std::shared_ptr<GaussianMixture> referenceMixture() {
  QFile file(testDataPath("mixture.json"));
  if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(file.fileName()));
  const QJsonArray list = QJsonDocument::fromJson(file.readAll()).object()["components"].toArray();
  std::vector<MixtureComponent> components;
  for (const QJsonValue& v : list) {
    const QJsonObject o = v.toObject();
    MixtureComponent c;
    c.weight = o["weight"].toDouble();
    c.mean = {o["mean"][0].toDouble(), o["mean"][1].toDouble()};
    c.cov << o["cov"][0][0].toDouble(), o["cov"][0][1].toDouble(), o["cov"][1][0].toDouble(),
        o["cov"][1][1].toDouble();
    c.label = o["label"].toInt();
    components.push_back(c);
  }
  return std::make_shared<GaussianMixture>(components);
}

inline bool closeRelative(double actual, double expected, double tolerance) {
  return std::abs(actual - expected) <= tolerance * std::max(1.0, std::abs(expected));
}

}  // namespace scorescope::test
