#include "io/mixture_json.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <cmath>

#include "io/text_file.hpp"

namespace scorescope::io {
namespace {

bool readNumber(const QJsonValue& value, double& out) {
  if (!value.isDouble()) return false;
  out = value.toDouble();
  return true;
}

// The first key of `object` not in `allowed` (keys() is sorted), as "path.key: unknown field;
// expected a, b", or empty. A misspelt key ("weigth", "lable") would otherwise be dropped silently.
QString unknownField(const QJsonObject& object, const QStringList& allowed, const QString& path) {
  for (const QString& key : object.keys()) {
    if (!allowed.contains(key)) {
      return path + clip(key) + ": unknown field; expected " + allowed.join(", ");
    }
  }
  return {};
}

}  // namespace

std::optional<std::vector<MixtureComponent>> parseMixtureJson(const QByteArray& json,
                                                              QString& error) {
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    error = QStringLiteral("malformed JSON at offset %1: %2")
                .arg(parseError.offset)
                .arg(parseError.errorString());
    return std::nullopt;
  }
  const QJsonValue list = doc.object().value("components");
  if (!doc.isObject() || !list.isArray()) {
    error = QStringLiteral("components: expected an array of {weight, mean, cov, label} objects");
    return std::nullopt;
  }
  if (QString unknown = unknownField(doc.object(), {"components"}, ""); !unknown.isEmpty()) {
    error = std::move(unknown);
    return std::nullopt;
  }
  std::vector<MixtureComponent> components;
  const QJsonArray array = list.toArray();
  for (qsizetype k = 0; k < array.size(); ++k) {
    const QString field = QStringLiteral("components[%1].").arg(k);
    const QJsonObject object = array[k].toObject();
    if (QString unknown = unknownField(object, {"weight", "mean", "cov", "label"}, field); !unknown.isEmpty()) {
      error = std::move(unknown);
      return std::nullopt;
    }
    MixtureComponent c;
    if (!array[k].isObject() || !readNumber(object.value("weight"), c.weight)) {
      error = field + "weight: expected a number in [0, 1e12]";
      return std::nullopt;
    }
    const QJsonArray mean = object.value("mean").toArray();
    if (mean.size() != 2 || !readNumber(mean[0], c.mean.x()) || !readNumber(mean[1], c.mean.y())) {
      error = field + "mean: expected [x, y] with two numbers";
      return std::nullopt;
    }
    const QJsonArray cov = object.value("cov").toArray();
    bool covOk = cov.size() == 2;
    for (int r = 0; covOk && r < 2; ++r) {
      const QJsonArray row = cov[r].toArray();
      covOk = row.size() == 2 && readNumber(row[0], c.cov(r, 0)) && readNumber(row[1], c.cov(r, 1));
    }
    if (!covOk) {
      error = field + "cov: expected [[a, b], [b, c]] with four numbers";
      return std::nullopt;
    }
    const QJsonValue label = object.value("label");
    if (!label.isUndefined()) {
      // Range first: casting a double beyond int's range is undefined.
      const double value = label.toDouble(-1.0);
      if (!label.isDouble() || !(value >= 0.0 && value <= kMaxMixtureLabel) || value != std::floor(value)) {
        error = field + "label: expected an integer in [0, " + QString::number(kMaxMixtureLabel) + "]";
        return std::nullopt;
      }
      c.label = static_cast<int>(value);
    }
    components.push_back(c);
  }
  if (const auto invalid = validateMixture(components)) {
    error = QString::fromStdString(*invalid);
    return std::nullopt;
  }
  return components;
}

std::optional<std::vector<MixtureComponent>> readMixtureFile(const QString& path, QString& error) {
  const std::optional<QByteArray> json = readFileBounded(path, kMaxJsonBytes, "mixture file", error);
  if (!json) return std::nullopt;
  auto components = parseMixtureJson(*json, error);
  if (!components) error = clip(path) + ": " + error;
  return components;
}

}  // namespace scorescope::io
